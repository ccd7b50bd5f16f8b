"""The sample story, built once: every page shows its charts with alt text and sources, the
claims and data pages are complete, and prose facts cannot drift from the data."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import vl_convert as vlc
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, copy_story, run_cli
from helpers import edit, report

from site_builder import strings
from site_builder.variants import NARROW_ABOVE, PHONE_COLUMN, narrow_spec, svg_width

LAND = "#dcdcdc"  # charts/_palette.py: countries outside the story

# Each page and the charts it shows, in order.
PAGES = {
    "index.html": ["china-share-by-stage"],
    "rare-earths/index.html": [
        "rare-earth-refining",
        "rare-earth-mining-usgs",
        "rare-earth-outlook",
    ],
    "alliance/index.html": ["alliance-map", "alliance-members"],
    "chips/index.html": ["chip-deals", "intel-stake"],
    "timeline/index.html": ["policy-timeline"],
    "claims/index.html": ["claims-status", "claims-table"],
    "data/index.html": [],
}
# What the build writes when a chart has no alt text of its own ("A bar chart of 3 rows ...").
GENERIC_ALT = re.compile(r"A [a-z ]+ chart of \d+ rows")
# Numbers a chart's title states, and the facts (from the same data) they must match.
TITLE_FACTS = {
    "claims-status": [
        "claims-total",
        "claims-confirmed",
        "claims-conflicting",
        "claims-unconfirmed",
    ],
    "rare-earth-mining-usgs": ["china-mining-usgs-2024"],
    "chip-deals": ["h20-revenue-share", "h200-revenue-share"],
    "intel-stake": ["intel-stake-article", "intel-stake-announced"],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, render_cache: Path) -> Path:
    """The story built once for this module, with the session's render cache."""
    project = copy_story(tmp_path_factory.mktemp("story-site") / "story", render_cache)
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site"


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")


def facts_shown(site: Path) -> dict[str, str]:
    shown: dict[str, str] = {}
    for name in PAGES:
        for span in page(site, name).select(".sb-fact"):
            assert shown.setdefault(span["data-fact"], span.get_text()) == span.get_text()
    return shown


def table_rows(figure: BeautifulSoup) -> list[dict[str, str]]:
    """The figure's data table as dicts, by column heading."""
    heads = [th.get_text() for th in figure.select("details table thead th")]
    return [
        dict(zip(heads, (td.get_text() for td in tr.select("td")), strict=True))
        for tr in figure.select("details table tbody tr")
    ]


@pytest.mark.parametrize("name", PAGES)
def test_page_shows_its_charts_with_alt_text_and_sources(site: Path, name: str) -> None:
    soup = page(site, name)
    figures = soup.select("figure.sb-figure")
    assert [f["id"] for f in figures] == PAGES[name]
    for fig in figures:
        svg = fig.select_one(".sb-figure__chart > svg[role=img]")
        assert svg is not None and svg.select("text"), f"{fig['id']} has no rendered chart"
        assert svg.select_one("title").get_text() == fig.select_one(".sb-figure__title").get_text()
        # Written alt text, not the generic description made when a chart has none.
        desc = svg.select_one("desc").get_text()
        assert len(desc) > 100 and not GENERIC_ALT.match(desc), fig["id"]
        assert fig.select(".sb-figure__source a[href^='https://']"), f"{fig['id']} has no source"
        assert fig.select("details table tbody tr"), f"{fig['id']} has no data table"
        for link in fig.select(".sb-figure__downloads a"):
            assert (site / Path(name).parent / link["href"]).resolve().is_file()
    assert "{{" not in soup.select_one("article").get_text(), "a fact or block was left as written"


def test_every_chart_is_on_a_page_and_there_are_enough_kinds(site: Path) -> None:
    shown = [c for charts in PAGES.values() for c in charts]
    built = sorted(
        {  # once: the Chinese edition draws some of them again, in its language
            p.name.split(".")[0]
            for p in (site / "assets" / "charts").glob("*.vl.json")
            if not p.name.endswith(".narrow.vl.json")  # a phone layout's spec
        }
    )
    assert sorted(shown) == built
    assert len(built) >= 8
    marks = set()
    for spec in (site / "assets" / "charts").glob("*.vl.json"):
        text = spec.read_text(encoding="utf-8")
        marks |= {m for m in ("geoshape", "bar", "line", "point", "circle", "text") if m in text}
    assert {"geoshape", "bar", "line", "point", "text"} <= marks


def test_the_floor_is_drawn_as_a_floor_and_projections_as_projections(site: Path) -> None:
    soup = page(site, "rare-earths/index.html")
    refining = soup.select_one("#rare-earth-refining svg")
    labels = [t.get_text() for t in refining.select("text")]
    assert "over 90%" in labels and "90%" not in labels
    outlook = soup.select_one("#rare-earth-outlook")
    assert "2030 (projected)" in [t.get_text() for t in outlook.select("svg text")]
    assert "projection" in outlook.select_one(".sb-figure__note").get_text()


def test_map_shows_every_member_and_when_it_signed(site: Path) -> None:
    fig = page(site, "alliance/index.html").select_one("#alliance-map")
    rows = {r["Country"]: r for r in table_rows(fig)}
    with (ROOT / "data" / "alliance_members.csv").open(encoding="utf-8", newline="") as f:
        members = [r["country"] for r in csv.DictReader(f)]
    assert sorted(rows) == sorted([*members, "China"])  # China: drawn for context
    assert rows["China"]["Declaration"] == "China (not a member)"
    assert rows["United Arab Emirates"]["Signed"] == "14 Jan 2026"
    assert rows["Netherlands"]["Declaration"] == "Not signed by 14 Jan 2026"
    assert rows["Japan"]["Declaration"] == "Signed 12 Dec 2025"


def test_members_grid_fits_the_smallest_phone_unscaled(site: Path) -> None:
    """The grid of members is drawn whole in a 320 px phone's column without being scaled (so
    its 11 px text stays 11 px): each country's name over its contribution, then the steps."""
    fig = page(site, "alliance/index.html").select_one("#alliance-members")
    svg = fig.select_one("svg.sb-static--wide")
    assert svg_width(str(svg)) <= PHONE_COLUMN
    assert fig.select_one("svg.sb-static--narrow") is None  # one layout serves every width
    texts = [t for t in svg.select("text") if t.get_text().strip()]
    assert min(float(t["font-size"].removesuffix("px")) for t in texts) >= 11
    shown = [t.get_text() for t in texts]
    for row in table_rows(fig):
        assert row["Contribution"] in shown, row
    with (ROOT / "data" / "alliance_members.csv").open(encoding="utf-8", newline="") as f:
        named = [r["country"] for r in csv.DictReader(f) if r["in_article_list"] == "TRUE"]
    assert {r["Country"] for r in table_rows(fig)} == set(named)


def test_tables_keep_the_chart_order_and_the_chart_formats(site: Path) -> None:
    soup = page(site, "rare-earths/index.html")
    refining = soup.select_one("#rare-earth-refining")
    # The order of the table the chart function drew, not the order of its encodings.
    assert [th.get_text() for th in refining.select("details thead th")] == [
        "Country or group",
        "According to",
        "Share (% of world)",
        "Value is a floor",  # read by the filters that draw the arrow and the labels
        "Drawn as",
        "Shown as",
    ]
    mining = {r["Country"]: r for r in table_rows(soup.select_one("#rare-earth-mining-usgs"))}
    assert mining["United States"]["Share (% of world)"] == "11.5"
    assert mining["China"]["Data year"] == "2024"  # a year as text: no thousands separator
    csv_file = next((site / "assets" / "charts").glob("rare-earth-mining-usgs.*.csv"))
    assert csv_file.read_text().splitlines()[0] == "Country,data_year,value_pct,Shown as"


def _path_points(d: str) -> list[tuple[float, float]]:
    """The points of an outline of straight segments: M/L absolute, m/l relative (the build
    writes simplified outlines so), z back to the ring's start."""
    points: list[tuple[float, float]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    command = "M"
    for token in re.finditer(r"([MLmlZz])|(-?[\d.]+),(-?[\d.]+)", d):
        if token.group(1):
            command = token.group(1)
            if command in "Zz":
                x, y = start
            continue
        a, b = float(token.group(2)), float(token.group(3))
        x, y = (x + a, y + b) if command.islower() else (a, b)
        if command in "Mm":
            start = (x, y)
            command = "l" if command == "m" else "L"  # pairs after a move are lines
        points.append((x, y))
    return points


def _map_problems(svg: str) -> list[str]:
    """What of the members falls outside its panel's view: outline points, dots, label points."""
    root = ET.fromstring(re.sub(r'\sxmlns="[^"]+"', "", svg, count=1))
    panels = [g for g in root.iter("g") if re.search(r"\bconcat_\d+_group\b", g.get("class", ""))]
    problems: list[str] = []
    outlines = 0
    for panel in panels or [root]:
        found, cut = _panel_problems(panel)
        outlines += found
        problems += cut
    assert outlines >= 9, "a member's outline is missing"  # Singapore has none
    return problems


def _panel_problems(panel: ET.Element) -> tuple[int, list[str]]:
    """How many member outlines one map panel draws, and what of them falls outside it."""
    background = panel.find(".//path[@class='background']")
    assert background is not None
    width, height = map(float, re.findall(r"[hv](-?[\d.]+)", background.get("d", ""))[:2])

    def outside(x: float, y: float) -> bool:
        return not (-0.5 <= x <= width + 0.5 and -0.5 <= y <= height + 0.5)

    problems = []
    shapes = panel.findall(".//g[@class]")
    members = [
        path
        for g in shapes
        if "mark-shape" in g.get("class", "")
        for path in g.iter("path")  # a linked mark wraps each item in <a>
        if path.get("fill") not in (LAND, "transparent", None)
    ]
    for path in members:
        points = _path_points(path.get("d", ""))
        cut = [pt for pt in points if outside(*pt)]
        if cut:
            problems.append(f"outline {path.get('fill')}: {len(cut)} points outside, e.g. {cut[0]}")
    for kind in ("mark-symbol", "mark-text"):
        for g in shapes:
            if kind not in g.get("class", ""):
                continue
            for item in g:
                if item.tag == "a":  # a linked mark: the item is inside its link
                    item = item[0]
                x, y = map(float, re.findall(r"-?[\d.]+", item.get("transform", ""))[:2])
                if outside(x, y):
                    problems.append(f"{kind} {item.text or ''} at {(x, y)}")
    return len(members), problems


def test_map_frames_every_member_whole_at_any_width(site: Path) -> None:
    """Every member's outline, dot and label point lies inside the map: as the page shows it
    (and the PNG draws it), on a phone, and live at a desktop width."""
    fig = page(site, "alliance/index.html").select_one("#alliance-map")
    wide = str(fig.select_one("svg.sb-static--wide"))
    live = json.loads(next((site / "assets" / "charts").glob("alliance-map.*.vl.json")).read_text())

    def world_at(width: int) -> dict:
        """The whole two-panel map, its world panel drawn `width` px wide."""
        panels = [{**live["vconcat"][0], "width": width}, *live["vconcat"][1:]]
        return {**live, "vconcat": panels}

    phone = narrow_spec(world_at(335), 2 * NARROW_ABOVE)  # laid out as for a phone
    assert phone is not None
    svgs = {
        "wide": wide,
        "phone": vlc.vegalite_to_svg(phone, allowed_base_urls=[]),
        "live, 700 px": vlc.vegalite_to_svg(world_at(700), allowed_base_urls=[]),
    }
    for name, svg in svgs.items():
        assert _map_problems(svg) == [], name


# The Chinese edition's words for the data's texts (data/translations/zh.yaml, text:).
ZH_TEXT: dict[str, str] = yaml.safe_load(
    (ROOT / "data" / "translations" / "zh.yaml").read_text(encoding="utf-8")
)["text"]
# Each edition's folder, and how it words a text of the data (a text with none is a KeyError).
EDITIONS = {"": lambda text: text, "zh/": lambda text: ZH_TEXT[text]}


@pytest.mark.parametrize("edition", EDITIONS)
def test_claims_page_lists_every_claim(site: Path, edition: str) -> None:
    say = EDITIONS[edition]
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8", newline="") as f:
        claims = list(csv.DictReader(f))
    soup = page(site, edition + "claims/index.html")
    rows = {r[say("Claim")]: r for r in table_rows(soup.select_one("#claims-table"))}
    assert sorted(rows) == sorted(c["claim_id"] for c in claims)
    for claim in claims:
        row = rows[claim["claim_id"]]
        assert row[say("What the article says")] == say(claim["claim"])
        assert row[say("Status against the record")] == say(claim["status"])
        if claim["status"] != "confirmed":  # every conflict is explained, in one line
            differs = row[say("Where the record differs")]
            assert differs not in ("", "–") and "\n" not in differs
            assert differs == say(claim["conflict_note"])
    counts = table_rows(soup.select_one("#claims-status"))
    assert sum(int(r[say("Claims")]) for r in counts) == len(claims)


@pytest.mark.parametrize("edition", EDITIONS)
def test_claims_list_matches_the_data(site: Path, edition: str) -> None:
    """The claims page's table: each claim as the article gives it, what the record says, its
    status and sources; in Chinese, in the words of its chart's data table."""
    say = EDITIONS[edition]
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8", newline="") as f:
        claims = {c["claim_id"]: c for c in csv.DictReader(f)}
    table = next(
        t for t in page(site, edition + "claims/index.html").select("article table")
        if t.select_one("th") and t.select_one("th").get_text() == "#"
    )  # fmt: skip
    rows = table.select("tbody tr")
    assert [r.td.get_text() for r in rows] == list(claims)
    for row in rows:
        cells = row.select("td")
        claim = claims[cells[0].get_text()]
        assert cells[1].get_text() == say(claim["claim"])
        record = claim["conflict_note"] or claim["note"]
        if record:  # the others read "as the article says"
            assert cells[2].get_text() == say(record)
        assert cells[3].get_text() == say(claim["status"])
        urls = [u.strip() for u in claim["source_urls"].split(";") if u.strip()]
        assert [a["href"] for a in cells[4].select("a")] == urls


def test_figures_credit_only_the_sources_of_the_rows_they_draw(site: Path) -> None:
    """Rare-earth figures from one table: USGS only on the USGS chart, none on the IEA one."""
    soup = page(site, "rare-earths/index.html")
    usgs = soup.select_one("#rare-earth-mining-usgs .sb-figure__source")
    assert [a["href"] for a in usgs.select("a")] == [
        "https://www.metalnomist.com/2025/04/global-rare-earth-mining-rises-in-2024.html"
    ]
    lead = page(site, "index.html").select_one("#china-share-by-stage .sb-figure__source")
    hrefs = [a["href"] for a in lead.select("a")]
    assert not any("metalnomist" in h or "spacedaily" in h for h in hrefs), hrefs
    assert any("seaisi.org" in h for h in hrefs) and any("rareearthexchanges" in h for h in hrefs)


def test_data_page_lists_every_resource(site: Path) -> None:
    descriptor = yaml.safe_load((ROOT / "data" / "datapackage.yaml").read_text(encoding="utf-8"))
    soup = page(site, "data/index.html")
    for res in descriptor["resources"]:
        section = soup.select_one(f"section#dataset-{res['name']}")
        assert section is not None, res["name"]
        assert section.h2.get_text() == res["title"]
        assert section.select(".sb-dataset__sources a[href^='https://']")
        download = section.select_one(".sb-dataset__meta a[download]")["href"]
        assert (site / "data" / download).resolve().is_file()


def test_facts_in_prose_and_titles_agree_with_the_data(site: Path) -> None:
    shown = facts_shown(site)
    assert shown["china-refining-floor"] == "over 90%"
    assert shown["malaysia-refining-article"] == "4%"
    assert shown["alliance-signed-dec12-count"] == "6"
    assert shown["uae-signing-date"] == "14 January 2026"
    assert shown["intel-stake-announced"] == "9.9%"
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8", newline="") as f:
        assert shown["claims-total"] == str(len(list(csv.DictReader(f))))
    titles = {
        fig["id"]: fig.select_one(".sb-figure__title").get_text()
        for name in PAGES
        for fig in page(site, name).select("figure.sb-figure")
    }
    for chart_id, fact_ids in TITLE_FACTS.items():
        for fact_id in fact_ids:
            assert shown[fact_id] in titles[chart_id], (chart_id, fact_id)


def test_palette_gives_one_colour_per_country_across_charts(site: Path) -> None:
    """China is the same red and the United States the same blue in every chart."""
    colours: dict[str, set[str]] = {"China": set(), "United States": set()}
    for spec_file in (site / "assets" / "charts").glob("*.vl.json"):
        spec = json.loads(spec_file.read_text(encoding="utf-8"))
        for scale in _colour_scales(spec):
            for value, colour in zip(scale.get("domain", []), scale.get("range", []), strict=False):
                if value in colours:
                    colours[value].add(colour)
    assert all(len(c) == 1 for c in colours.values()), colours


def _colour_scales(node: object) -> list[dict]:
    found = []
    if isinstance(node, dict):
        colour = node.get("color")
        if isinstance(colour, dict) and isinstance(colour.get("scale"), dict):
            found.append(colour["scale"])
        for value in node.values():
            found += _colour_scales(value)
    elif isinstance(node, list):
        for value in node:
            found += _colour_scales(value)
    return found


def test_a_fact_whose_row_is_deleted_fails_the_check(story: Path) -> None:
    rows = (story / "data" / "refining_shares.csv").read_text(encoding="utf-8").splitlines(True)
    kept = [r for r in rows if not r.startswith("RS01,")]
    assert len(kept) == len(rows) - 1
    (story / "data" / "refining_shares.csv").write_text("".join(kept), encoding="utf-8")
    result = run_cli(story, "check")
    assert result.returncode != 0
    lines = (story / "data" / "facts.yaml").read_text().splitlines()
    start = next(n for n, text in enumerate(lines, 1) if text.startswith("china-refining-floor:"))
    # Said at the fact's row: line.
    line = next(n for n, text in enumerate(lines[start:], start + 1) if "row:" in text)
    assert (
        f"data/facts.yaml:{line}: fact 'china-refining-floor': dataset 'refining_shares' "
        "has no row 'RS01'"
    ) in result.stderr + result.stdout


def test_a_computed_fact_whose_row_is_deleted_fails(story: Path) -> None:
    edit(story / "data" / "policy_timeline.csv", "PT24,", "PT99,")  # the Pax Silica signing
    text = report(story)
    assert text.startswith("charts/timeline.py:")
    assert "fact 'pax-silica-signing-date' failed: KeyError: 'PT24'" in text


CHINA = "#c43a2c"  # charts/_palette.py


def _text_boxes(svg: str) -> list[tuple[str, float, float, float, float]]:
    """Each chart text's box (label, left, top, right, bottom), from its position, anchor and
    size: glyphs of Liberation Sans average under 0.6 em, so the box is not drawn too small."""
    root = ET.fromstring(re.sub(r'\sxmlns="[^"]+"', "", svg, count=1))
    boxes = []

    def walk(node: ET.Element, dx: float, dy: float) -> None:
        moved = re.findall(r"translate\((-?[\d.]+),\s*(-?[\d.]+)\)", node.get("transform", ""))
        x, y = (dx + float(moved[0][0]), dy + float(moved[0][1])) if moved else (dx, dy)
        if node.tag == "text" and (node.text or "").strip():
            size = float(re.sub("px", "", node.get("font-size", "12")))
            width = 0.6 * size * len(node.text)
            anchor = node.get("text-anchor", "start")
            left = x - {"start": 0, "middle": width / 2, "end": width}[anchor]
            boxes.append((node.text, left, y - size, left + width, y + 0.25 * size))
        for child in node:
            walk(child, x, y)

    walk(root, 0, 0)
    return boxes


def test_map_names_qatar_and_the_uae_apart_and_shows_china(site: Path) -> None:
    """China has its own fill, named in the legend; Qatar's and the UAE's labels are drawn
    (in the Gulf inset) and overlap no other text, on the page and in the phone layout."""
    fig = page(site, "alliance/index.html").select_one("#alliance-map")
    for kind in ("wide", "narrow"):
        svg = fig.select_one(f"svg.sb-static--{kind}")
        assert svg is not None, kind
        assert svg.select(f"path[fill='{CHINA}']"), f"{kind}: China is not filled"
        boxes = _text_boxes(str(svg))
        labels = [b[0] for b in boxes]
        assert "China (not a member)" in labels, kind
        for name in ("Qatar", "UAE"):
            assert labels.count(name) == 1, (kind, name, labels)
            _, left, top, right, bottom = next(b for b in boxes if b[0] == name)
            for other, l2, t2, r2, b2 in boxes:
                if other != name:
                    overlap = left < r2 and l2 < right and top < b2 and t2 < bottom
                    assert not overlap, f"{kind}: {name} overlaps {other!r}"


ZH_PAGES = [
    "zh/index.html",
    "zh/rare-earths/index.html",
    "zh/alliance/index.html",
    "zh/claims/index.html",
]
# Names the Chinese text keeps in Latin letters, as Chinese reporting does, and claim numbers.
KEPT_IN_LATIN = re.compile(r"IEA|RFI|ISIS Malaysia|A\d+|[\d%.,\s]+")


def test_the_chinese_edition_s_charts_speak_chinese(site: Path) -> None:
    for url in ZH_PAGES:
        soup = page(site, url)
        assert soup.html["lang"] == "zh"
        figures = soup.select("figure.sb-figure")
        assert figures, url
        for fig in figures:
            for text in fig.select("svg.sb-static--wide text"):
                words = text.get_text()
                latin = re.sub(r"[^\x00-\x7f]", " ", words)
                assert KEPT_IN_LATIN.fullmatch(latin.strip() or "0") or re.search(
                    r"[\u4e00-\u9fff]", words
                ), (url, fig["id"], words)


def test_the_chinese_map_frames_every_member(site: Path) -> None:
    fig = page(site, "zh/alliance/index.html").select_one("#alliance-map")
    assert _map_problems(str(fig.select_one("svg.sb-static--wide"))) == []


def _english_tool_words() -> list[str]:
    parts = []
    for text in strings.EN.values():
        parts += [p.strip(" :;()·") for p in re.split(r"\{\w+\}", text)]
    return [p for p in parts if len(p) > 3]


@pytest.mark.parametrize("url", ZH_PAGES)
def test_a_chinese_page_says_what_the_english_one_says(site: Path, url: str) -> None:
    """The same facts as the English page (every number a fact where it has one), and none of
    the tool's English words around its figures."""
    zh = page(site, url)
    english = page(site, url.removeprefix("zh/"))
    assert sorted(s["data-fact"] for s in zh.select(".sb-fact")) == sorted(
        s["data-fact"] for s in english.select(".sb-fact")
    )
    ours = " ".join(
        el.get_text(" ") + " " + " ".join(str(v) for v in el.attrs.values())
        for el in zh.select(
            ".sb-figure__foot, .sb-figure__data summary, .sb-figure__downloads,"
            " .sb-figure__embed summary, .sb-figure__embed-note, .sb-editions, [aria-label]"
        )
    )
    assert "下载：" in ours or not zh.select("figure.sb-figure")
    for word in _english_tool_words():  # whole words: a source's title may hold "Browsing"
        assert not re.search(rf"\b{re.escape(word)}\b", ours), (url, word)
