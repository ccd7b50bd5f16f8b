"""The datasets block, downloads, and JSON resources (map boundaries)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from helpers import edit, prepare, report

from site_builder.datasets import dataset_html, download_bytes, download_name


def test_dataset_section(mini: Path) -> None:
    ds = prepare(mini).catalog.datasets["cities"]
    soup = BeautifulSoup(dataset_html(ds, "../assets/data/x.csv"), "html.parser")
    section = soup.select_one("section#dataset-cities")
    assert section.h2.get_text() == "Cities"
    assert section.select_one(".sb-dataset__meta a")["href"] == "../assets/data/x.csv"
    assert "3 rows" in section.select_one(".sb-dataset__meta").get_text()
    assert [a["href"] for a in section.select(".sb-dataset__sources a")] == [
        "https://example.org/cities?a=1&b=2"
    ]
    assert [td.get_text() for td in section.select("tbody tr:nth-child(3) td")] == [
        "population",
        "Population",
        "integer",
        "people",
        "",
    ]
    assert download_name(ds) == f"cities.{ds.digest[:8]}.csv"


def test_download_defuses_formulas(mini: Path) -> None:
    edit(mini / "data" / "cities.csv", "Town, with comma", '=HYPERLINK(""http://x"")')
    ds = prepare(mini).catalog.datasets["cities"]
    lines = download_bytes(ds, mini).decode().splitlines()
    assert lines[0] == "code,city,population,share,capital,founded"
    assert lines[3] == 'CD,"\'=HYPERLINK(""http://x"")",250,47.5,FALSE,1950-06-30'


def test_a_file_with_nothing_to_defuse_is_downloaded_as_it_is(mini: Path) -> None:
    ds = prepare(mini).catalog.datasets["cities"]
    assert download_bytes(ds, mini) == (mini / "data" / "cities.csv").read_bytes()
    edit(mini / "data" / "cities.csv", "Town, with comma", "-Town")
    ds = prepare(mini).catalog.datasets["cities"]
    assert b"\nCD,'-Town,250," in download_bytes(ds, mini)


def test_unknown_dataset_in_block(mini: Path) -> None:
    (mini / "content" / "data.md").write_text("# Data\n\n/// datasets | citys\n///\n")
    assert report(mini) == (
        "content/data.md:3:1: unknown dataset 'citys'\n"
        "  hint: did you mean 'cities'? known: 'cities', 'regions'"
    )


def add_shapes(project: Path, **extra: str) -> None:
    """Describe data/shapes.json as a resource of the mini project."""
    package = yaml.safe_load((project / "data" / "datapackage.yaml").read_text())
    package["resources"].append(
        {
            "name": "shapes",
            "path": "shapes.json",
            "title": "Shapes",
            "sources": [{"title": "S", "path": "https://e.org"}],
            **extra,
        }
    )
    (project / "data" / "datapackage.yaml").write_text(yaml.safe_dump(package))


def test_json_resource_is_passed_to_charts(mini: Path) -> None:
    shapes = {
        "type": "Topology",
        "objects": {"land": {"type": "GeometryCollection", "geometries": []}},
        "arcs": [],
    }
    (mini / "data" / "shapes.json").write_text(json.dumps(shapes))
    add_shapes(mini, format="topojson", description="Boundaries.")
    (mini / "charts" / "maps.py").write_text(
        "import altair as alt\nfrom site_builder import chart\n\n"
        "@chart('land', data='shapes', title='Land', description='A map.')\n"
        "def land(shapes):\n"
        "    assert shapes['type'] == 'Topology'\n"
        "    data = alt.Data(values=shapes, format=alt.DataFormat(type='topojson', "
        "feature='land'))\n"
        "    return alt.Chart(data).mark_geoshape()\n"
    )
    project = prepare(mini)
    assert project.catalog.datasets["shapes"].document == shapes
    assert project.charts["land"].spec["data"]["format"]["type"] == "topojson"


def test_broken_json_resource(mini: Path) -> None:
    (mini / "data" / "shapes.json").write_text('{"type": "Topology",\n  oops}')
    add_shapes(mini, description="B.")
    assert report(mini).startswith("data/shapes.json:2:3: not valid JSON: ")


def test_a_header_cell_that_a_spreadsheet_would_run_is_defused(mini: Path) -> None:
    """Row 0 was left out of the defusing, and a file of plain cells downloaded as it was."""
    edit(mini / "data" / "cities.csv", ",capital,", ",@capital,")
    edit(mini / "data" / "datapackage.yaml", "name: capital,", "name: '@capital',")
    ds = prepare(mini).catalog.datasets["cities"]
    assert download_bytes(ds, mini).decode().splitlines()[0] == (
        "code,city,population,share,'@capital,founded"
    )


def test_json_nested_too_deep_is_a_message_not_a_traceback(mini: Path) -> None:
    (mini / "data" / "shapes.json").write_text("[" * 200_000 + "]" * 200_000)
    add_shapes(mini, description="Deep.")
    assert report(mini).startswith(
        "data/shapes.json: the JSON is nested too deeply to read (lists or objects inside one "
        "another thousands of levels down)\n  hint: re-export the file"
    )
