"""End to end: real builds of mini projects with the CLI and MkDocs, checked with selectors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import BIN, PROJECTS, copy_project, run_cli, tree_digest
from helpers import edit

from site_builder.bundlejs import ROOT_SCHEME_CSS, edit_bundle


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    project = copy_project(PROJECTS / "basic", tmp_path_factory.mktemp("built") / "mini")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    return project, result


def page(project: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((project / "site" / url).read_text(encoding="utf-8"), "html.parser")


def test_figure_structure(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    project, _ = built
    soup = page(project, "index.html")
    fig = soup.select_one("figure#city-population")
    assert fig is not None
    caption = fig.select_one("figcaption")
    assert caption.select_one(".sb-figure__title").get_text() == (
        "Windhoek is the largest <b>city</b>"
    )
    # Notes and sources come after the chart, where they are seen: keyboard and screen
    # reader reach them after the chart's controls, not before.
    foot = fig.select_one(".sb-figure__chart ~ .sb-figure__foot")
    assert caption.select(".sb-figure__foot") == []
    assert foot.select_one(".sb-figure__note").get_text() == (
        "Note: Made-up numbers & test values."
    )
    assert [(a.get_text(), a["href"]) for a in foot.select(".sb-figure__source a")] == [
        ("Test source <one>", "https://example.org/cities?a=1&b=2")
    ]
    assert foot.find_next_sibling().name == "details"  # then the data table
    svg = fig.select_one(".sb-figure__chart > svg")
    assert svg["role"] == "img"
    # Its axis titles are the columns' labels from the data package, not their names.
    assert {"Population (people)", "City"} <= {t.get_text() for t in svg.select("text")}
    assert svg.find("title").get_text() == "Windhoek is the largest <b>city</b>"
    assert svg.find("desc").get_text() == "Bars of population by city."
    # The table's columns in the order of the chart's table, numbers as the chart shows them.
    assert [th.get_text() for th in fig.select("details thead th")] == [
        "City",
        "Population (people)",
    ]
    cells = [td.get_text() for td in fig.select("details tbody td")]
    assert cells == [
        "Windhoek",
        "431,000",
        "<script>alert(1)</script>",
        "1,000",
        "Town, with comma",
        "250",
    ]
    assert not any("alert" in s.get_text() for s in soup.find_all("script"))


def test_downloads_resolve_from_every_page(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, _ = built
    for url, base in (
        ("index.html", project / "site"),
        ("second/index.html", project / "site" / "second"),
        ("embed/region-scores/index.html", project / "site" / "embed" / "region-scores"),
    ):
        soup = page(project, url)
        links = [a["href"] for a in soup.select(".sb-figure__downloads a")]
        specs = [d["data-sb-spec"] for d in soup.select(".sb-figure__chart")]
        narrow = [d["data-sb-spec-narrow"] for d in soup.select("[data-sb-spec-narrow]")]
        assert links and specs
        for href in links + specs + narrow:
            assert (base / href).resolve().is_file(), (url, href)
    # Figures are finished once with tokens for their links: none may be left in a page.
    for html in (project / "site").rglob("*.html"):
        assert "\0" not in html.read_text(encoding="utf-8"), html
    csv_file = next((project / "site" / "assets" / "charts").glob("city-population.*.csv"))
    assert csv_file.read_text().splitlines() == [  # raw values: only the HTML is formatted
        "city,population",
        "Windhoek,431000",
        "<script>alert(1)</script>,1000",
        '"Town, with comma",250',
    ]
    assert re.fullmatch(r"city-population\.[0-9a-f]{8}\.csv", csv_file.name)


def test_datasets_block(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    project, _ = built
    soup = page(project, "second/index.html")
    assert [s["id"] for s in soup.select("section.sb-dataset")] == [
        "dataset-cities",
        "dataset-regions",
    ]
    for a in soup.select(".sb-dataset__meta a[download]"):
        assert (project / "site" / "second" / a["href"]).resolve().is_file()


def test_facts_in_prose_and_code(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    project, _ = built
    soup = page(project, "index.html")
    assert [s.get_text() for s in soup.select(".sb-fact")] == ["3", "12.5%"]
    ledger = json.loads((project / "site" / "claims.json").read_text())
    assert [(e["page"], e["line"], e["fact"], e["text"]) for e in ledger] == [
        ("content/index.md", 3, "city-count", "3"),
        ("content/index.md", 3, "windhoek-share", "12.5%"),
    ]
    assert "{{ fact: city-count }}" in soup.select_one("article code").get_text()


def test_svg_is_not_in_the_search_index(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, _ = built
    index = json.loads((project / "site" / "search" / "search_index.json").read_text())
    text = json.dumps(index)
    assert "<svg" not in text and "mark-group" not in text
    assert "Windhoek is the largest" in text  # the caption is searchable


def test_build_logs_render_counts(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    _, result = built
    assert "charts: 2 rendered, 0 from cache" in result.stderr


def test_embeds_without_site_url_say_so(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, result = built  # the mini project sets no site_url
    # Said once per build, as information: a strict build does not fail on it.
    assert result.stderr.count("embeds: no site_url") == 1
    assert "INFO    -  embeds: no site_url, so embed codes use addresses relative" in result.stderr
    embed = page(project, "index.html").select_one("figure#city-population .sb-figure__embed")
    assert embed.select_one("pre").get_text().startswith('<iframe src="embed/city-population/"')
    note = embed.select_one(".sb-figure__embed-note")
    assert note is not None and "works only here" in note.get_text()
    assert "site_url" in note.get_text()


def test_the_site_ships_materials_palette_without_its_whole_page_restyle(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, _ = built
    [palette] = (project / "site" / "assets" / "stylesheets").glob("palette.*.min.css")
    css = palette.read_text(encoding="utf-8")
    assert "[data-md-color-scheme=slate]" in css and "[data-md-color-switching]" not in css


def test_the_site_ships_materials_script_without_its_restyles_as_it_starts(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, _ = built
    assets = project / "site" / "assets"
    [bundle] = (assets / "javascripts").glob("bundle.*.min.js")
    js = bundle.read_text(encoding="utf-8")
    assert ".sheet||(" in js
    assert edit_bundle(js) == (js, [])  # both edits made: nothing of their shape is left
    [main] = (assets / "stylesheets").glob("main.*.min.css")
    assert main.read_text(encoding="utf-8").endswith(ROOT_SCHEME_CSS)


def test_cache_then_one_csv(fresh_mini: Path) -> None:
    mini = fresh_mini
    assert "charts: 2 rendered, 0 from cache" in run_cli(mini, "build").stderr
    assert "charts: 0 rendered, 2 from cache" in run_cli(mini, "build").stderr
    edit(mini / "data" / "regions.csv", "South,5", "South,6")
    # Only what the edited table reaches is rendered; the rest is the last build's.
    assert "2 charts (1 rendered, 1 from cache)" in run_cli(mini, "build").stderr


def test_builds_are_byte_identical(fresh_mini: Path) -> None:
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    first = tree_digest(mini / "site")
    shutil.rmtree(mini / ".cache")
    assert run_cli(mini, "build").returncode == 0
    assert tree_digest(mini / "site") == first


def test_a_rebuild_from_the_caches_gives_the_cold_build(fresh_mini: Path) -> None:
    """Figures finished by an earlier build come from the cache, filled in for each page: after
    a page edit, that rebuild and a cold build of the same files are byte-identical."""
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    edit(mini / "content" / "second.md", "# Second page", "# Second page, edited")
    result = run_cli(mini, "build")
    assert "charts: 0 rendered, 2 from cache (nothing changed)" in result.stderr
    assert list((mini / ".cache" / "site-builder" / "figures").glob("*.txt"))
    rebuilt = tree_digest(mini / "site")
    shutil.rmtree(mini / ".cache")
    assert run_cli(mini, "build").returncode == 0
    assert tree_digest(mini / "site") == rebuilt


def test_a_rebuild_links_what_did_not_change(fresh_mini: Path) -> None:
    """Files the published site holds already, byte for byte, are linked into the new site,
    not written again; a chart whose data changed gets new files."""
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    site = mini / "site"
    shared = ["assets/charts", "assets/data", "assets/cards", "assets/site-builder", "embed"]

    def inodes() -> dict[str, int]:
        return {
            p.relative_to(site).as_posix(): p.stat().st_ino
            for folder in shared
            for p in (site / folder).rglob("*")
            if p.is_file()
        }

    before = inodes()
    edit(mini / "data" / "regions.csv", "South,5", "South,6")
    assert "2 charts (1 rendered, 1 from cache)" in run_cli(mini, "build").stderr
    after = inodes()
    kept = {path for path in after if before.get(path) == after[path]}
    assert any(p.startswith("assets/charts/city-population.") for p in kept)
    assert "embed/city-population/index.html" in kept
    assert not any("region-scores." in p for p in kept)  # its render changed: new files
    assert "embed/region-scores/index.html" not in kept
    assert "assets/site-builder/site-builder.css" not in kept  # written by MkDocs every time


def test_a_file_edited_in_the_published_site_is_made_again(fresh_mini: Path) -> None:
    """A no-change rebuild links the published files made from the same inputs without reading
    them (manifest.py), but not one edited since: the site comes back as built."""
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    built = tree_digest(mini / "site")
    other = mini / "site" / "embed" / "region-scores" / "index.html"
    inode = other.stat().st_ino
    embed = mini / "site" / "embed" / "city-population" / "index.html"
    csv = next((mini / "site" / "assets" / "charts").glob("city-population.*.csv"))
    for path in (embed, csv):
        path.write_bytes(path.read_bytes() + b"edited")
    result = run_cli(mini, "build")
    assert "(nothing changed)" in result.stderr
    assert tree_digest(mini / "site") == built
    assert other.stat().st_ino == inode  # an unchanged one: linked from the last site


def test_a_rebuild_keeps_the_replaced_sites_folders_only_as_built(fresh_mini: Path) -> None:
    """A rebuild takes the chart, data, embed and card folders of the site the last build
    replaced whole (sitedir.new_staging): what was planted or edited there, and the files of
    a chart removed since, do not reach the new site, which is the cold build's, folders too."""
    mini = fresh_mini
    for _ in range(2):  # the second build's site replaced the first's
        assert run_cli(mini, "build").returncode == 0
    [replaced] = mini.glob(".site.replaced-*")
    site = mini / "site"
    unchanged = site / "embed" / "city-population" / "index.html"
    inode = unchanged.stat().st_ino
    folders = {name: (replaced / name).stat().st_ino for name in ("embed", "assets/charts")}
    (replaced / "embed" / "planted").mkdir()
    (replaced / "embed" / "planted" / "index.html").write_text("planted")
    (replaced / "assets" / "cards" / "planted.png").write_bytes(b"planted")
    [data] = (replaced / "assets" / "data").glob("cities.*.csv")
    data.unlink()
    data.write_text("edited")  # another file, not the published one
    [chart] = (replaced / "assets" / "charts").glob("city-population.*.vl.json")
    chart.unlink()
    chart.mkdir()  # a folder where a file goes
    edit(
        mini / "charts" / "cities.py",
        '@chart("region-scores", data="regions", title="Scores by region")\n',
        "",
    )
    edit(mini / "content" / "second.md", "/// chart | region-scores\n///\n", "")
    assert run_cli(mini, "build").returncode == 0
    assert unchanged.stat().st_ino == inode  # the published file, kept
    # The folders themselves were moved whole, not made again and linked file by file.
    assert {name: (site / name).stat().st_ino for name in folders} == folders
    assert not (site / "embed" / "region-scores").exists()

    def tree(folder: Path) -> tuple[dict[str, str], list[str]]:
        dirs = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir())
        return tree_digest(folder), dirs

    rebuilt = tree(site)
    shutil.rmtree(mini / ".cache")
    shutil.rmtree(site)
    assert run_cli(mini, "build").returncode == 0
    assert tree(site) == rebuilt


def test_a_rebuild_links_the_pages_made_from_the_same_inputs(fresh_mini: Path) -> None:
    """A page made from the same MkDocs page, figures and policy as the published one is
    linked (MkDocs writes nothing, and says nothing of it); an edited page and a page edited
    in the published site are made again; the site is the cold build's."""
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    site = mini / "site"
    home, second = site / "index.html", site / "second" / "index.html"
    inode = home.stat().st_ino
    result = run_cli(mini, "build")
    assert "Page skipped" not in result.stderr
    assert home.stat().st_ino == inode  # linked: the same file
    edit(mini / "content" / "second.md", "## Data", "Edited.\n\n## Data")
    second_inode = second.stat().st_ino
    assert run_cli(mini, "build").returncode == 0
    assert home.stat().st_ino == inode
    assert second.stat().st_ino != second_inode
    assert "Edited." in second.read_text(encoding="utf-8")
    home.write_bytes(home.read_bytes().replace(b"</body>", b"edited</body>"))
    assert run_cli(mini, "build").returncode == 0
    assert b"edited</body>" not in home.read_bytes()
    # Material's palette adds an inline script: the policy changes in every page.
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
    (before,) = policy.findall(second.read_text(encoding="utf-8"))
    edit(mini / "mkdocs.yml", "  font: false", "  font: false\n  palette:\n    scheme: default")
    assert run_cli(mini, "build").returncode == 0
    (after,) = policy.findall(second.read_text(encoding="utf-8"))
    assert after != before and policy.findall(home.read_text(encoding="utf-8")) == [after]
    rebuilt = tree_digest(site)
    shutil.rmtree(mini / ".cache")
    assert run_cli(mini, "build").returncode == 0
    assert tree_digest(site) == rebuilt


LINKED = re.compile(r"pages: (\d+) of (\d+) as published, linked without rendering")


def linked_unrendered(result: subprocess.CompletedProcess[str]) -> int:
    """How many pages a build linked without rendering the theme's template for them."""
    assert result.returncode == 0, result.stderr
    found = LINKED.search(result.stderr)
    assert found, result.stderr
    return int(found.group(1))


def cold_build(project: Path, dest: Path) -> dict[str, str]:
    """The project's site as a build makes it without the record of the published site (its
    renders still cached: they are not what is tested)."""
    shutil.copytree(
        project, dest, ignore=shutil.ignore_patterns("site", ".site*", "published.json")
    )
    assert run_cli(dest, "build").returncode == 0
    return tree_digest(dest / "site")


def test_a_rebuild_renders_the_template_only_for_pages_it_reads_a_change_for(
    fresh_mini: Path, tmp_path: Path
) -> None:
    """A page whose template would read what it read for the published page (the page, every
    page's title in the navigation, the config, the writer's own templates) is linked without
    rendering the template (pagekeys.py); a change to any of them renders the pages it reaches,
    and each rebuild gives the cold build's site."""
    mini = fresh_mini
    site = mini / "site"
    home, second = site / "index.html", site / "second" / "index.html"
    # Settings that name functions (as Material's docs have them) key by their names.
    edit(
        mini / "mkdocs.yml",
        "plugins:",
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "plugins:",
    )
    assert linked_unrendered(run_cli(mini, "build")) == 0
    assert linked_unrendered(run_cli(mini, "build")) == 2
    # Another page's title is in every page's navigation.
    edit(mini / "content" / "second.md", "# Second page", "# Second page, renamed")
    assert linked_unrendered(run_cli(mini, "build")) == 0
    assert "Second page, renamed" in home.read_text(encoding="utf-8")
    # What only the page itself shows; an inline script changes every page's policy.
    edit(mini / "content" / "second.md", "## Data", "Edited.\n\n<script>1</script>\n\n## Data")
    assert linked_unrendered(run_cli(mini, "build")) == 1
    assert "Edited." in second.read_text(encoding="utf-8")
    # Material shows each page's status in every page's navigation.
    edit(
        mini / "mkdocs.yml",
        "plugins:",
        "extra:\n  status:\n    new: Added lately\nplugins:",
    )
    assert linked_unrendered(run_cli(mini, "build")) == 0
    edit(mini / "content" / "second.md", "# Second", "---\nstatus: new\n---\n\n# Second")
    assert linked_unrendered(run_cli(mini, "build")) == 0
    assert 'title="Added lately"' in home.read_text(encoding="utf-8")
    assert tree_digest(site) == cold_build(mini, tmp_path / "cold1")
    edit(mini / "mkdocs.yml", "  font: false", "  font: false\n  custom_dir: overrides")
    (mini / "overrides").mkdir()
    override = mini / "overrides" / "main.html"
    override.write_text('{% extends "base.html" %}{% block announce %}One{% endblock %}')
    assert linked_unrendered(run_cli(mini, "build")) == 0
    assert linked_unrendered(run_cli(mini, "build")) == 2
    override.write_text('{% extends "base.html" %}{% block announce %}Two{% endblock %}')
    assert linked_unrendered(run_cli(mini, "build")) == 0
    assert 'data-md-component="announce"' in home.read_text(encoding="utf-8")
    assert "Two" in second.read_text(encoding="utf-8")
    (mini / "mkdocs.yml").write_text(
        (mini / "mkdocs.yml").read_text(encoding="utf-8") + "copyright: The desk\n",
        encoding="utf-8",
    )
    assert linked_unrendered(run_cli(mini, "build")) == 0
    assert "The desk" in home.read_text(encoding="utf-8")
    assert tree_digest(site) == cold_build(mini, tmp_path / "cold2")
    # A template of the writer's that prints the build's time is rendered for each time.
    override.write_text(
        '{% extends "base.html" %}{% block announce %}{{ build_date_utc }}{% endblock %}'
    )
    for epoch, day in (("86400", "1970-01-02"), ("172800", "1970-01-03")):
        result = run_cli(mini, "build", env={"SOURCE_DATE_EPOCH": epoch})
        assert linked_unrendered(result) == 0
        assert day in home.read_text(encoding="utf-8")
    result = run_cli(mini, "build", env={"SOURCE_DATE_EPOCH": "172800"})
    assert linked_unrendered(result) == 2


def test_a_hook_has_every_template_rendered(fresh_mini: Path) -> None:
    """What a hook or an unknown plugin does to a page no key names: its template is rendered
    on every build (and a page made the same is still linked, once made)."""
    mini = fresh_mini
    (mini / "hooks.py").write_text(
        "import os\n\n"
        "def on_page_context(context, page, config, nav):\n"
        "    page.meta['description'] = os.environ['DESK_NOTE'] + ' ' + page.title\n"
        "    return context\n"
    )
    edit(mini / "mkdocs.yml", "plugins:", "hooks:\n  - hooks.py\nplugins:")
    home = mini / "site" / "index.html"
    for note in ("One", "One", "Two"):
        result = run_cli(mini, "build", env={"DESK_NOTE": note})
        assert result.returncode == 0, result.stderr
        assert not LINKED.search(result.stderr)
        assert f'content="{note} Mini story"' in home.read_text(encoding="utf-8")
        if note == "One":
            inode = home.stat().st_ino
    assert home.stat().st_ino != inode


def test_a_page_where_the_theme_writes_a_file_is_rendered(fresh_mini: Path) -> None:
    """A page at the address of a file MkDocs writes after the pages are linked (Material's
    404.html) is never linked early: that file would be written into the published page."""
    mini = fresh_mini
    edit(mini / "mkdocs.yml", "docs_dir: content", "docs_dir: content\nuse_directory_urls: false")
    (mini / "content" / "404.md").write_text("# Not here\n\nThe desk's own missing page.\n")
    for linked in (0, 2, 2):
        result = run_cli(mini, "build")
        assert "own missing page" in (mini / "site" / "404.html").read_text(encoding="utf-8")
        assert linked_unrendered(result) == linked


def failed_build_after(mini: Path, path: str, old: str, new: str) -> str:
    """Build, make the edit, build again: the second build fails and leaves the site as it was.
    Returns what the failed build printed."""
    assert run_cli(mini, "build").returncode == 0
    before = tree_digest(mini / "site")
    edit(mini / path, old, new)
    result = run_cli(mini, "build")
    assert result.returncode != 0
    assert tree_digest(mini / "site") == before
    assert not list(mini.glob(".site.*"))
    return result.stderr


def test_failed_build_leaves_the_site_untouched(mini: Path) -> None:
    stderr = failed_build_after(mini, "data/regions.csv", "North,3", "North,three")
    assert "data/regions.csv:2:2: column 'score': 'three' is not a valid number" in stderr
    assert "Traceback" not in stderr


def test_strict_warning_leaves_the_site_untouched(mini: Path) -> None:
    stderr = failed_build_after(
        mini, "content/second.md", "# Second page", "# Second page\n\n[broken](nope.md)"
    )
    assert "nope.md" in stderr


def test_plain_mkdocs_build_uses_the_plugin(mini: Path) -> None:
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict"], cwd=mini, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    soup = page(mini, "index.html")
    assert soup.select_one("figure#city-population svg[role=img]") is not None


def test_check_reports_without_writing(mini: Path) -> None:
    result = run_cli(mini, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 2 datasets, 2 charts, 2 facts, 2 pages (3 chart blocks)")
    assert not (mini / "site").exists()
    edit(mini / "content" / "index.md", "/// chart | city-population", "/// chart | city-pop")
    result = run_cli(mini, "check")
    assert result.returncode == 1
    assert result.stderr == (
        "content/index.md:6:1: unknown chart 'city-pop'\n"
        "  hint: did you mean 'city-population'? known: 'city-population', 'region-scores'\n"
    )


def test_render_command(mini: Path) -> None:
    for fmt, check in (
        ("svg", lambda b: b.startswith(b"<svg") and b'role="img"' in b),
        ("png", lambda b: b.startswith(b"\x89PNG")),
        ("json", lambda b: json.loads(b)["mark"] == {"type": "bar"}),
    ):
        out = mini / f"out.{fmt}"
        result = run_cli(mini, "render", "city-population", "--format", fmt, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert check(out.read_bytes()), fmt
    result = run_cli(mini, "render", "city-pop")
    assert result.returncode == 1
    assert "unknown chart 'city-pop'; did you mean 'city-population'?" in result.stderr


def test_new_chart_writes_a_working_module(mini: Path) -> None:
    result = run_cli(mini, "new", "chart", "region-bars", "--data", "regions")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "wrote charts/region_bars.py; paste this into a page:\n\n/// chart | region-bars\n///\n"
    )
    (mini / "content" / "index.md").write_text(
        (mini / "content" / "index.md").read_text() + "\n/// chart | region-bars\n///\n"
    )
    built = run_cli(mini, "build")
    assert built.returncode == 0, built.stderr
    assert page(mini, "index.html").select_one("figure#region-bars svg[role=img]") is not None
    again = run_cli(mini, "new", "chart", "region-bars", "--data", "regions")
    assert again.returncode == 1
    assert "chart 'region-bars' already exists (charts/region_bars.py:8)" in again.stderr
    wrong = run_cli(mini, "new", "chart", "other", "--data", "regons")
    assert "unknown dataset 'regons'; did you mean 'regions'?" in wrong.stderr


def test_list_shows_where_things_are_used(mini: Path) -> None:
    result = run_cli(mini, "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Datasets:"
    assert any(
        ln.split() == ["cities", "data/cities.csv", "(3", "rows);", "charts:", "city-population"]
        for ln in lines
    )
    assert any("city-population" in ln and "content/second.md:6" in ln for ln in lines)
    assert any(
        "windhoek-share" in ln and "'12.5%'" in ln and "content/index.md:3" in ln for ln in lines
    )


def test_vega_lite_warnings_fail_the_build_from_the_cache_too(mini: Path) -> None:
    module = mini / "charts" / "cities.py"
    edit(module, 'y="region:N")', 'y="region:N", order="region:N")')
    expected = (
        "charts/cities.py:18: chart 'region-scores': Vega-Lite: Channel order is inappropriate "
        "for nominal field, which has no inherent order.\n"
        "  hint: give the order channel"
    )
    for _ in ("rendered", "from the cache"):
        result = run_cli(mini, "build")
        assert result.returncode == 1
        assert expected in result.stderr
        assert "Traceback" not in result.stderr
    assert "charts: 0 rendered, 2 from cache" in result.stderr
    assert not (mini / "site").exists()

    edit(module, 'order="region:N"', 'order="score:Q"')
    result = run_cli(mini, "build")
    assert result.returncode == 0, result.stderr
    assert "Vega-Lite" not in result.stderr


def test_render_describes_a_chart_as_its_page_does(mini: Path) -> None:
    edit(mini / "charts" / "cities.py", '    description="Bars of population by city.",\n', "")
    assert run_cli(mini, "build").returncode == 0
    rendered = run_cli(mini, "render", "city-population", "--format", "svg", "-o", "c.svg")
    assert rendered.returncode == 0, rendered.stderr
    page = BeautifulSoup((mini / "site" / "index.html").read_text(), "html.parser")
    on_page = page.select_one("#city-population svg.sb-static--wide desc").get_text()
    alone = BeautifulSoup((mini / "c.svg").read_text(), "html.parser").select_one("desc")
    # Made from the data, with the columns' titles and units, the same in both.
    assert alone.get_text() == on_page
    assert on_page.startswith("A bar chart of Population (people) by City, ")


def test_two_shards_then_assembly_match_one_build(fresh_mini: Path, tmp_path: Path) -> None:
    # One machine: a whole build.
    one = fresh_mini
    assert run_cli(one, "build").returncode == 0
    # Two machines, each with an empty cache of its own, render half the charts each ...
    caches = []
    for index in (1, 2):
        shard = copy_project(PROJECTS / "basic", tmp_path / f"shard{index}")
        result = run_cli(shard, "build", "--shard", f"{index}/2")
        assert result.returncode == 0, result.stderr
        assert f"shard {index}/2: 1 charts rendered, 0 from cache" in result.stdout
        assert not (shard / "site").exists()
        caches.append(shard / ".cache")
    # ... and the final build, given both caches, renders nothing and gives the same site.
    final = copy_project(PROJECTS / "basic", tmp_path / "final")
    for cache in caches:
        shutil.copytree(cache, final / ".cache", dirs_exist_ok=True)
    result = run_cli(final, "build")
    assert result.returncode == 0, result.stderr
    assert "charts: 0 rendered, 2 from cache" in result.stderr
    assert tree_digest(final / "site") == tree_digest(one / "site")


def test_a_shard_that_is_not_one(mini: Path) -> None:
    result = run_cli(mini, "build", "--shard", "3/2")
    assert result.returncode == 2
    assert "'3/2' is not a share of the charts: give I/N with 1 <= I <= N" in result.stderr


def test_prune_cache_keeps_what_the_build_used(fresh_mini: Path) -> None:
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    charts = mini / ".cache" / "site-builder" / "charts"
    before = {p.name for p in charts.iterdir()}
    edit(mini / "data" / "regions.csv", "South,5", "South,6")
    result = run_cli(mini, "build", "--prune-cache")
    assert result.returncode == 0, result.stderr
    assert "2 charts (1 rendered, 1 from cache)" in result.stderr
    after = {p.name for p in charts.iterdir()}
    # The stale chart's render is gone, the one still shown kept, the new one added.
    kept, gone, added = before & after, before - after, after - before
    assert kept and gone and added
    assert len(gone) == len(added)
    # Entries named by more than a digest too (the parsed descriptor, read by this rebuild in
    # the process for the chart code), and what the site's pages used.
    cache = mini / ".cache" / "site-builder"
    assert list((cache / "tables").glob("descriptor-*.pickle"))
    assert list((cache / "figures").glob("size-rules-*"))
    assert "charts: 0 rendered, 2 from cache" in run_cli(mini, "build").stderr


def test_a_rebuild_notes_what_it_uses_without_touching_the_cache(fresh_mini: Path) -> None:
    """The renders a rebuild with nothing changed relies on are kept by `--prune-cache`,
    noted in memory: their files keep their times (no system call each); the record of the
    published site is not written again."""
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    charts = mini / ".cache" / "site-builder" / "charts"
    before = {p.name: p.stat().st_mtime_ns for p in charts.iterdir()}
    # The record of the published site too, when every file was linked as it was.
    published = mini / ".cache" / "site-builder" / "published.json"
    recorded = published.stat().st_mtime_ns
    result = run_cli(mini, "build", "--prune-cache")
    assert result.returncode == 0, result.stderr
    assert "(nothing changed)" in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in charts.iterdir()} == before
    assert published.stat().st_mtime_ns == recorded


def test_rendered_files_are_copied_from_the_cache(fresh_mini: Path) -> None:
    """The files the site links to are copied from the render cache (not held in memory); a
    rebuild whose last build's cache entries went renders them again instead of failing."""
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    charts = mini / ".cache" / "site-builder" / "charts"
    published = [p for p in (mini / "site").rglob("*.vg.json") if ".narrow." not in p.name]
    assert published
    for live in published:
        key = live.name.split(".")[1]  # <chart-id>.<first 8 digits of the key>.vg.json
        (cached,) = [p for p in charts.glob(f"{key}*.vg.json") if ".narrow." not in p.name]
        assert live.read_bytes() == cached.read_bytes()
    built = tree_digest(mini / "site")
    shutil.rmtree(charts)
    result = run_cli(mini, "build")
    assert result.returncode == 0, result.stderr
    assert "charts: 2 rendered, 0 from cache" in result.stderr
    assert tree_digest(mini / "site") == built


HEAVY = (
    "import sys\n"
    "from site_builder import pipeline\n"
    "from site_builder.cli import _settings\n"
    "project = pipeline.prepare_rendered(_settings('mkdocs.yml'))\n"
    "print(len(project.rendered), sorted(m for m in ('pandas', 'pyarrow', 'altair', "
    "'vl_convert', 'frictionless') if m in sys.modules))\n"
)


def test_a_rebuild_with_nothing_changed_imports_nothing_heavy(fresh_mini: Path) -> None:
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    first = tree_digest(mini / "site")
    result = run_cli(mini, "build")
    assert "charts: 0 rendered, 2 from cache (nothing changed)" in result.stderr
    assert tree_digest(mini / "site") == first
    out = subprocess.run(
        [str(BIN / "python"), "-c", HEAVY], cwd=mini, capture_output=True, text=True
    )
    assert out.stdout.split("\n")[0] == "2 []", out.stderr
    # A page edit is read again; a data edit takes the slow path.
    edit(mini / "data" / "regions.csv", "South,5", "South,6")
    out = subprocess.run(
        [str(BIN / "python"), "-c", HEAVY], cwd=mini, capture_output=True, text=True
    )
    assert "'pandas'" in out.stdout, out.stderr
