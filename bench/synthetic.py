"""A synthetic project for benchmarks: P pages x K charts (bar, line, scatter) from CSVs of
20-2,000 rows, fixed seed. Usage: python bench/synthetic.py DEST [--pages P] [--charts K]"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

KINDS = ("bar", "line", "scatter")

CHART = """import altair as alt

from site_builder import chart

KINDS = {kinds!r}


def make(kind, table):
    if kind == "bar":
        data = table.groupby("group", as_index=False)["y"].sum()
        return alt.Chart(data).mark_bar().encode(x="y:Q", y="group:N")
    if kind == "line":
        return alt.Chart(table).mark_line().encode(x="x:Q", y="y:Q")
    return alt.Chart(table).mark_circle(size=12).encode(x="x:Q", y="y:Q", color="group:N")


for _name, _kind in KINDS.items():
    chart(_name.replace("_", "-"), data=_name, title=f"Synthetic {{_kind}} {{_name}}",
          description="A synthetic chart.")(lambda table, _kind=_kind: make(_kind, table))
"""


def generate(dest: Path, pages: int, charts: int, seed: int = 7) -> Path:
    """Write the project; returns its folder."""
    rng = random.Random(seed)
    (dest / "data").mkdir(parents=True)
    (dest / "charts").mkdir()
    (dest / "content").mkdir()
    resources, kinds = [], {}
    for p in range(pages):
        blocks = []
        for k in range(charts):
            name = f"t{p:03d}_{k}"
            kind = KINDS[(p * charts + k) % len(KINDS)]
            rows = rng.randint(20, 2000)
            lines = ["x,y,group"] + [
                f"{i},{rng.gauss(50, 15):.3f},g{rng.randint(1, 6)}" for i in range(rows)
            ]
            (dest / "data" / f"{name}.csv").write_text("\n".join(lines) + "\n")
            resources.append(
                f"  - name: {name}\n    path: {name}.csv\n    title: Table {name}\n"
                "    description: Synthetic values.\n"
                "    sources: [{title: Generator, path: 'https://example.org/synthetic'}]\n"
                "    schema:\n      fields: [{name: x, type: integer}, {name: y, type: number},"
                " {name: group, type: string}]\n"
            )
            kinds[name] = kind
            blocks.append(f"/// chart | {name.replace('_', '-')}\n///\n")
        (dest / "content" / f"page{p:03d}.md").write_text(
            f"# Page {p}\n\nSynthetic text.\n\n" + "\n".join(blocks)
        )
    (dest / "content" / "index.md").write_text("# Synthetic project\n")
    (dest / "data" / "datapackage.yaml").write_text(
        "licenses: [{name: CC0-1.0}]\nresources:\n" + "".join(resources)
    )
    (dest / "charts" / "synthetic.py").write_text(CHART.format(kinds=kinds))
    (dest / "mkdocs.yml").write_text(
        "site_name: Synthetic\ndocs_dir: content\nstrict: true\n"
        "theme: {name: material, font: false, features: [navigation.prune]}\n"
        "plugins: [search, site-builder]\n"
    )
    return dest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dest", type=Path)
    parser.add_argument("--pages", type=int, default=250)
    parser.add_argument("--charts", type=int, default=4)
    args = parser.parse_args()
    generate(args.dest, args.pages, args.charts)
    print(f"wrote {args.pages * args.charts} charts on {args.pages} pages to {args.dest}")


if __name__ == "__main__":
    main()
