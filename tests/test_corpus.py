"""The bad-input corpus (tests/corpus/cases.yaml): each case loads as stated, or fails with
the stated message; hostile data that loads stays inert in every output."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import PROJECTS, copy_project, run_cli, tree_digest
from helpers import CASES, CORPUS, DATA_CASES, edit, load_case, prepare, report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.descriptor import Limits
from site_builder.errors import DataError


def same(a: Any, b: Any) -> bool:
    missing = a is None or (isinstance(a, float) and math.isnan(a))
    return missing if b is None else a == b


@pytest.mark.parametrize("case", DATA_CASES, ids=[str(c["id"]) for c in DATA_CASES])
def test_data_case(case: dict[str, Any], tmp_path: Path) -> None:
    if case["expect"] == "ok":
        frame = load_case(tmp_path, case).datasets["t"].frame
        for column, expected in case["values"].items():
            got = frame[column].tolist()
            assert len(got) == len(expected) and all(map(same, got, expected)), (column, got)
    else:
        with pytest.raises(DataError) as info:
            load_case(tmp_path, case)
        firsts = [str(p).splitlines()[0] for p in info.value.problems]
        assert firsts == case["messages"]
        assert all(p.hint for p in info.value.problems), "every problem says what to do"


def test_every_case_is_covered() -> None:
    """44 cases in the corpus, each with an outcome; files that exist."""
    numbers = {int(str(c["id"]).rstrip("abc")) for c in CASES}
    assert numbers == set(range(1, 45))
    for case in CASES:
        if case.get("kind") != "generated":
            assert (CORPUS / case["file"]).is_file(), case["file"]


def test_14_huge_field_is_refused_under_the_limit_and_loads_above_it(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "huge_field.csv").write_text("country,value\n" + "A" * 200_000 + ",5\n")
    with pytest.raises(DataError) as info:
        load_case(tmp_path, {"file": "huge_field.csv"}, source=tmp_path)
    assert str(info.value).startswith(
        "data/huge_field.csv:2:1: column 'country': a cell of 200,000 characters, over the limit "
        "of 10,000\n  hint: shorten it"
    )
    limits = Limits(max_cell_chars=200_000)
    frame = load_case(tmp_path, {"file": "huge_field.csv"}, tmp_path, limits).datasets["t"].frame
    assert len(frame["country"].iloc[0]) == 200_000


def test_15_huge_file_fails_fast(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    with open(tmp_path / "data" / "huge_file.csv", "wb") as f:
        f.write(b"country,value\n")
        f.truncate(2 * 2**30)  # a sparse 2 GB file: nothing is read, the size says enough
    with pytest.raises(DataError) as info:
        load_case(tmp_path, {"file": "huge_file.csv"}, source=tmp_path)
    assert str(info.value).startswith(
        "data/huge_file.csv: the file is 2048 MB, over the limit of 100 MB\n"
        "  hint: aggregate the data before charting it"
    )


def add_chart(project: Path, source: str) -> None:
    shutil.copy(CORPUS / source, project / "charts" / source)


def test_16_too_many_rows_for_a_chart(mini: Path) -> None:
    rows = "\n".join(f"P{i},{i % 97}" for i in range(200_000))
    (mini / "data" / "regions.csv").write_text("region,score\n" + rows + "\n")
    assert report(mini) == (
        "charts/cities.py:18: chart 'region-scores' would draw more than 5000 of its 200000 "
        "rows\n  hint: aggregate in the encoding (e.g. y='count()', x=alt.X('value:Q', "
        "bin=True), 'mean(value):Q'), or in the function with table.groupby(...).agg(...), or "
        "filter the table to the rows the chart shows"
    )


def test_32_dotted_column(mini: Path) -> None:
    (mini / "data" / "regions.csv").write_text("region,rate.pct\nNorth,3\n")
    edit(
        mini / "data" / "datapackage.yaml",
        "{name: score, type: number}",
        "{name: rate.pct, type: number}",
    )
    edit(mini / "charts" / "cities.py", 'x="score:Q"', 'x="rate.pct:Q"')
    assert report(mini) == (
        "charts/cities.py:20:53: chart 'region-scores': encodes column 'rate.pct', whose '.' or "
        "'[' Vega-Lite reads as a nested field (the chart would come out empty)\n"
        "  hint: escape it in the chart as 'rate\\\\.pct', or rename the column"
    )
    edit(mini / "charts" / "cities.py", 'x="rate.pct:Q"', 'x="rate\\\\.pct:Q"')
    assert prepare(mini).charts["region-scores"].spec["encoding"]["x"]["field"] == "rate\\.pct"


def test_41_data_url_is_refused(mini: Path) -> None:
    add_chart(mini, "spec_file_url.py")
    assert report(mini) == (
        "charts/spec_file_url.py:8: chart 'passwd': loads data from a URL "
        "('file:///etc/passwd'); the build never fetches data\n"
        "  hint: pass a table from data/ to alt.Chart(...) instead"
    )


def test_42_unknown_field(mini: Path) -> None:
    add_chart(mini, "spec_unknown_field.py")
    assert report(mini) == (
        "charts/spec_unknown_field.py:10:50: chart 'misspelled': encodes column 'populaton', "
        "which its table does not have\n  hint: did you mean 'population'? available columns: "
        "'capital', 'city', 'code', 'founded', 'population', 'share'"
    )


def test_43_bad_page_references(mini: Path) -> None:
    shutil.copy(CORPUS / "page_bad_ref.md", mini / "content" / "bad.md")
    assert report(mini) == (
        "content/bad.md:3:1: unknown chart 'city-populaton'\n"
        "  hint: did you mean 'city-population'? known: 'city-population', 'region-scores'"
    )
    edit(mini / "content" / "bad.md", "city-populaton", "city-population")
    result = run_cli(mini, "build")
    assert result.returncode != 0
    assert "bad.md" in result.stderr and "#no-such-anchor" in result.stderr
    assert "Traceback" not in result.stderr


def test_44_render_crash_keeps_the_previous_site(mini: Path) -> None:
    assert run_cli(mini, "build").returncode == 0
    before = tree_digest(mini / "site")
    add_chart(mini, "render_crash.py")
    result = run_cli(mini, "build")
    assert result.returncode != 0
    assert "charts/render_crash.py:8: chart 'crashes' could not be rendered: " in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(mini / "site") == before


def test_a_shape_the_renderer_cannot_draw_is_said_once_with_its_hint(mini: Path) -> None:
    """The engine printed its JavaScript stack (lines of cdn.jsdelivr.net URLs) above the
    error, whose hint was 'simplify the chart'."""
    edit(mini / "charts" / "cities.py", ".mark_point()", '.mark_point(shape="hexagon")')
    result = run_cli(mini, "build")
    assert result.returncode != 0
    assert "chart 'region-scores' could not be rendered: " in result.stderr
    assert "  hint: a mark's shape is a name (circle, square," in result.stderr
    assert "cdn.jsdelivr.net" not in result.stderr and "Traceback" not in result.stderr


def test_in_one_process_too_the_renderers_stack_is_not_printed(mini: Path) -> None:
    """With one render process (render_workers: 1, or one core) a chart is rendered in the
    build's own process, whose stderr got the engine's JavaScript stack."""
    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - site-builder\n", "  - site-builder:\n      render_workers: 1\n"
        )
    )
    assert "render_workers: 1" in config.read_text()
    edit(mini / "charts" / "cities.py", ".mark_point()", '.mark_point(shape="hexagon")')
    result = run_cli(mini, "build")
    assert result.returncode != 0
    assert "chart 'region-scores' could not be rendered: " in result.stderr
    assert "cdn.jsdelivr.net" not in result.stderr and "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile mini project (corpus CSVs that load), built once."""
    project = copy_project(PROJECTS / "hostile", tmp_path_factory.mktemp("hostile") / "p")
    for name in ("xss_script", "xss_attr", "xss_scriptjson", "md_inject", "expr_inject", "formula"):
        shutil.copy(CORPUS / f"{name}.csv", project / "data" / f"{name}.csv")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    return project


def hostile_page(project: Path) -> tuple[str, BeautifulSoup]:
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    return html, BeautifulSoup(html, "html.parser")


def test_33_to_35_no_markup_from_data(hostile: Path) -> None:
    html, soup = hostile_page(hostile)
    assert not [s for s in soup.find_all("script") if "__xss" in s.get_text()]
    assert not soup.find_all("img", src="x")
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.startswith("on")], tag.name
    assert "</script><script>window.__xss" not in html
    cells = [td.get_text() for td in soup.select("#xss-attr tbody td")]
    assert '"><img src=x onerror=window.__xss=1>' in cells
    title = soup.select_one("#xss-title svg text.role-title-text, #xss-title svg text")
    assert title is not None
    for spec in (hostile / "site" / "assets" / "charts").glob("*.vl.json"):
        json.loads(spec.read_text(encoding="utf-8"))


def test_37_markdown_in_cells_stays_literal(hostile: Path) -> None:
    _, soup = hostile_page(hostile)
    rows = [[td.get_text() for td in tr.select("td")] for tr in soup.select("#md-inject tbody tr")]
    assert rows == [
        ["[x](javascript:alert(1))", "1"],
        ["{: onclick=alert(1)}", "2"],
        ["**bold**", "3"],
        ["a | b", "4"],
    ]
    assert not soup.select('a[href^="javascript"]')


def test_38_expression_injection_is_inert(hostile: Path) -> None:
    spec_file = next((hostile / "site" / "assets" / "charts").glob("expr-inject.*.vl.json"))
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    filters = [t["filter"] for t in spec.get("transform", []) if "filter" in t]
    # The hostile value stays inside one string literal.
    assert filters == ["(datum.label !== \"') || alert(1) || (')\")"]


def test_39_downloads_defuse_formulas(hostile: Path) -> None:
    csv_file = next((hostile / "site" / "assets" / "charts").glob("formula.*.csv"))
    assert csv_file.read_text().splitlines() == [
        "label,value",
        '"\'=HYPERLINK(""http://x?""&A1)",1',
        "'+1,2",
        "'@SUM(A1),3",
        "'-5,4",
    ]


CSV_PIECES = [
    b"a",
    b"b",
    b"1",
    b"2.5",
    b"-",
    b",",
    b";",
    b"\t",
    b'"',
    b'""',
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"NA",
    b"\xc3\xa9",
    b"\xff",
    b"\x00",
    b"\xef\xbb\xbf",
    b"1e5",
    b"nan",
]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    body=st.lists(st.sampled_from(CSV_PIECES), max_size=60),
    header=st.sampled_from([b"country,value\n", b"country;value\n", b"", b"country\n"]),
)
def test_random_bytes_load_or_fail_with_a_position(
    tmp_path: Path, header: bytes, body: list[bytes]
) -> None:
    """Whatever the bytes, the loader returns tables or a DataError that locates each problem."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "fuzz.csv").write_bytes(header + b"".join(body))
    try:
        load_case(tmp_path, {"file": "fuzz.csv"}, source=tmp_path)
    except DataError as exc:
        for problem in exc.problems:
            assert problem.path.startswith("data/")
            assert problem.hint
            assert problem.line is not None or problem.message == "the file is empty", problem


@pytest.mark.parametrize(
    "raw",
    [
        b'name,note\nA,"x, y"\rB,z\n',  # a lone carriage return ending a whole row
        b"a,b\n1,2\n3,4\r",  # the last row's
        b"a,b\r\n1,2\r\n",
    ],
)
def test_a_carriage_return_that_ends_a_whole_row_is_a_line_ending(raw: bytes) -> None:
    from site_builder.csvcheck import check_raw

    assert check_raw(raw, "t.csv").problems == []
