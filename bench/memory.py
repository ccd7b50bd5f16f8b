"""Peak memory of cold builds as charts grow (issue 14, target 5): for each size, a synthetic
project (bench/synthetic.py) built once with an empty cache, and the peak resident memory of
the build process and of its largest render process printed apart, then the growth per chart
between the sizes. `make bench` (scale.py) reports the larger of the two at one size.
Usage: cd bench && python memory.py [--pages 25 100] [--charts 4]
"""

from __future__ import annotations

import argparse
import itertools
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from synthetic import generate

# The build in this process, so that its own peak and its children's can be told apart.
BUILD = (
    "import atexit, resource, sys\n"
    "def peaks():\n"
    "    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "    sys.stderr.write(f'PEAKS {own} {children}\\n')\n"
    "if __name__ == '__main__':\n"
    "    atexit.register(peaks)\n"
    "    sys.argv = ['site-builder', 'build']\n"
    "    from site_builder.cli import main\n"
    "    main()\n"
)


def peaks(project: Path) -> tuple[float, float]:
    """MB: the build process's peak and its largest render process's."""
    script = project / "measure_build.py"
    script.write_text(BUILD)
    out = subprocess.run([sys.executable, str(script)], cwd=project, capture_output=True, text=True)
    found = re.search(r"PEAKS (\d+) (\d+)", out.stderr)
    if out.returncode != 0 or found is None:
        sys.exit(out.stderr)
    return int(found.group(1)) / 1024, int(found.group(2)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, nargs="+", default=[25, 100])
    parser.add_argument("--charts", type=int, default=4)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for pages in args.pages:
            project = generate(Path(tmp) / f"p{pages}", pages, args.charts)
            rows.append((pages * args.charts, *peaks(project)))
    print("charts  build MB  render process MB")
    for charts, own, render in rows:
        print(f"{charts:6d}  {own:8.0f}  {render:17.0f}")
    for (n0, own0, _), (n1, own1, _) in itertools.pairwise(rows):
        print(f"build process, {n0} to {n1} charts: {(own1 - own0) / (n1 - n0):.3f} MB per chart")


if __name__ == "__main__":
    main()
