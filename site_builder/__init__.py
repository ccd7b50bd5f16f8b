"""site-builder: data stories from CSV files, Altair charts and Markdown, built with MkDocs.

Writers use two decorators in `charts/*.py`:

    from site_builder import chart, fact
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["chart", "fact"]


def __getattr__(name: str) -> Any:
    # Lazy, so that render workers start without importing pandas or Altair.
    if name == "chart":
        from .charts import chart

        return chart
    if name == "fact":
        from .facts import fact

        return fact
    raise AttributeError(name)
