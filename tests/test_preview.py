"""What the live preview keeps warm between rebuilds (preview.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys
from pathlib import Path
from site_builder import pipeline, preview

root = Path(sys.argv[1])
settings = pipeline.Settings(root, root / "content", root / "data", root / "charts",
                             root / ".cache", workers=1)
libraries = ["pandas", "pyarrow", "altair", "vegafusion", "vl_convert"]
before = [name for name in libraries if name in sys.modules]
preview.warm_up(settings).join()
print(json.dumps([before, [name for name in libraries if name in sys.modules]]))
"""


def test_a_preview_imports_what_a_data_edit_needs_before_the_edit(mini: Path) -> None:
    """A preview started from the snapshot has imported none of the libraries a data or chart
    edit needs; it imports them in the background, before the first such rebuild."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(mini)], capture_output=True, text=True, check=True
    )
    before, after = json.loads(result.stdout)
    assert before == []
    assert after == ["pandas", "pyarrow", "altair", "vegafusion", "vl_convert"]
