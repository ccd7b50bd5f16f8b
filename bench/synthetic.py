"""Synthetic projects for benchmarks, fixed seed: P pages x K charts (bar, line, scatter) from
CSVs of 20-2,000 rows; and one page of charts over a 1,000,000-row CSV.
Usage: python bench/synthetic.py DEST [--pages P] [--charts K] [--big ROWS]"""

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
        # Ten pages per section, as a newsroom groups stories (and navigation.prune can act).
        section = dest / "content" / f"s{p // 10:02d}"
        section.mkdir(exist_ok=True)
        (section / f"page{p:03d}.md").write_text(
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


BIG_CHART = """import altair as alt

from site_builder import chart


@chart("trip-lengths", data="trips", title="Trip lengths",
       description="A histogram of {rows} synthetic trip lengths.")
def trip_lengths(trips):
    return alt.Chart(trips).mark_bar().encode(
        x=alt.X("minutes:Q", bin=alt.Bin(maxbins=40)), y="count():Q"
    )


@chart("mean-by-region", data="trips", title="Mean trip length by region",
       description="Bars of the mean trip length in four regions.")
def mean_by_region(trips):
    return alt.Chart(trips).mark_bar().encode(x="mean(minutes):Q", y="region:N")
"""


def generate_big(dest: Path, rows: int = 1_000_000, seed: int = 7) -> Path:
    """One page with two charts over one CSV of `rows` rows (a number and a category)."""
    rng = random.Random(seed)
    for folder in ("data", "charts", "content"):
        (dest / folder).mkdir(parents=True)
    regions = ("north", "south", "east", "west")
    with (dest / "data" / "trips.csv").open("w") as f:
        f.write("minutes,region\n")
        for _ in range(rows):
            f.write(f"{rng.gauss(30, 9):.2f},{rng.choice(regions)}\n")
    (dest / "data" / "datapackage.yaml").write_text(
        "licenses: [{name: CC0-1.0}]\nresources:\n"
        "  - name: trips\n    path: trips.csv\n    title: Trips\n"
        "    description: Synthetic trip lengths.\n"
        "    sources: [{title: Generator, path: 'https://example.org/synthetic'}]\n"
        "    schema:\n      fields: [{name: minutes, type: number, unit: min},"
        " {name: region, type: string}]\n"
    )
    (dest / "charts" / "big.py").write_text(BIG_CHART.format(rows=f"{rows:,}"))
    (dest / "content" / "index.md").write_text(
        "# A million rows\n\n/// chart | trip-lengths\n///\n\n/// chart | mean-by-region\n///\n"
    )
    (dest / "mkdocs.yml").write_text(
        "site_name: Big\ndocs_dir: content\nstrict: true\n"
        "theme: {name: material, font: false}\nplugins: [search, site-builder]\n"
    )
    return dest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dest", type=Path)
    parser.add_argument("--pages", type=int, default=250)
    parser.add_argument("--charts", type=int, default=4)
    parser.add_argument("--big", type=int, default=0, help="rows of the big-table project")
    args = parser.parse_args()
    if args.big:
        generate_big(args.dest, args.big)
        print(f"wrote a {args.big:,}-row table and 2 charts to {args.dest}")
        return
    generate(args.dest, args.pages, args.charts)
    print(f"wrote {args.pages * args.charts} charts on {args.pages} pages to {args.dest}")


if __name__ == "__main__":
    main()
