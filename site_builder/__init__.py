"""site-builder: data stories from CSV files, Altair charts and Markdown, built with MkDocs.

Writers use two decorators in `charts/*.py`:

    from site_builder import chart, fact
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # editors and type checkers see the decorators' signatures
    from .charts import chart
    from .facts import fact

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
