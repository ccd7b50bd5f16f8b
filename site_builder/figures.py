"""A project's charts as finished figures: caption, chart, data table, downloads and the files
they link to, for the page that shows them. The plugin's pages and embed pages and the CLI's
`render` all take their figures from here, so each chart reads the same everywhere."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Sequence
from functools import partial
from html import escape
from pathlib import Path
from typing import Any, NamedTuple

from . import datasets, figure, tables
from .cache import TextCache, read_entry, tool_digest, write_entry
from .images import RASTER_ABOVE, stand_in_svg, stand_in_webp
from .manifest import key_of
from .markdown import body_marker
from .pipeline import Project
from .render import Rendered
from .specs import plotted_rows
from .strings import EN, Words
from .variants import breakpoint_css, uses_pointer_position

CHART_DIR = "assets/charts"
DATA_DIR = "assets/data"
# In a finished body, each link to one of the figure's files (by extension) and the embed code
# are tokens until the page that shows it is known.
_EMBED = "\0embed\0"
_FOOT = "\0foot\0"  # the notes and sources: the caption's, not the render's
_TOKEN = re.compile(
    "\0(?:link:(svg|csv|vg\\.json|narrow\\.vg\\.json|(?:narrow\\.)?stand-in\\.(?:svg|webp))|(embed)|foot)\0"
)


def _token(ext: str) -> str:
    return f"\0link:{ext}\0"


# (target, page URL) -> the link from that page to target, both from the site root. The host
# gives it (MkDocs: mkdocs.utils.get_relative_url), so that links read as its own do.
Link = Callable[[str, str], str]


class Figures:
    """Every figure of one build. Figure text is made once per chart and kept in `texts`."""

    def __init__(self, project: Project, texts: TextCache, link: Link, words: Words = EN) -> None:
        self.project = project
        self.texts = texts
        self.link = link
        self.words = words  # the tool's own words, in the edition's language
        self.captions: dict[str, str] = {}  # by chart: the page and the embed page show it
        self.feet: dict[str, str] = {}

    def caption(self, chart_id: str) -> str:
        if chart_id not in self.captions:
            d = self.project.charts[chart_id].definition
            self.captions[chart_id] = figure.caption_html(chart_id, d.title, d.subtitle)
        return self.captions[chart_id]

    def foot(self, chart_id: str) -> str:
        if chart_id not in self.feet:
            chart = self.project.charts[chart_id]
            sources = self.project.sources_of(chart)
            self.feet[chart_id] = figure.foot_html(chart.definition.notes, sources, self.words)
        return self.feet[chart_id]

    def placeholder(self, chart_id: str) -> str:
        """The figure as Markdown places it: its body is a marker until the page is written."""
        return figure.figure_html(self.caption(chart_id), body_marker(chart_id), chart_id)

    def standalone(self, chart_id: str, page_url: str) -> str:
        """The whole figure, as an embed page shows it."""
        return figure.figure_html(self.caption(chart_id), self.body(chart_id, page_url), chart_id)

    def standalone_inputs(self, chart_id: str) -> list[str]:
        """Everything `standalone` makes its figure from, but the page URL (for a key)."""
        return [self.caption(chart_id), self.foot(chart_id), *self._body_key(chart_id, False)]

    def table(
        self, chart_id: str, spec: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], list[tables.Column]]:
        """The rows the chart plots, and how each column is shown; `spec`: the chart's (read
        once by the caller: the chart may hold it no more)."""
        chart = self.project.charts[chart_id]
        rows = plotted_rows(spec)
        types = {name: f.type for name, f in self.project.fields_of(chart).items()}
        return rows, tables.table_columns(spec, rows, types)

    def premake(self, chart_id: str) -> None:
        """Make the chart's figure (its body, table, CSV and stand-in images) ahead of its
        page, into the cache: a build calls this as each chart is rendered, so that they are
        made while the render processes draw the other charts, not after."""
        self._finished(chart_id, True)  # both bodies, the page's and the embed page's
        r = self.project.rendered[chart_id]
        for suffix in (".svg", ".narrow.svg"):
            if r.heavy(suffix):
                self._stand_in(r, suffix)

    def body(self, chart_id: str, page_url: str, embed: str = "") -> str:
        """The chart, its table and downloads, linked from `page_url`; `embed`: the code to
        embed it elsewhere, if readers are offered one."""
        r = self.project.rendered[chart_id]

        def fill(token: re.Match[str]) -> str:
            ext = token.group(1)
            if ext is None:
                return escape(embed) if token.group(2) else self.foot(chart_id)
            stem = r.image_stem if ext == "svg" else r.stem  # the download image's own name
            return escape(self.link(f"{CHART_DIR}/{stem}.{ext}", page_url))

        # One pass over the body: a big table makes it hundreds of KB.
        return _TOKEN.sub(fill, self._finished(chart_id, bool(embed)))

    def body_inputs(self, chart_id: str, embeddable: bool) -> list[str]:
        """Everything `body` makes the body from, but the page URL and embed code (for a
        key)."""
        return [self.foot(chart_id), *self._body_key(chart_id, embeddable)]

    def _finished(self, chart_id: str, embeddable: bool) -> str:
        """The figure's body with tokens for its links and embed code, which depend on the
        page: made once per chart and kept in the cache under everything that shapes it (its
        render, its text, its datasets' files and descriptions), so a rebuild only fills in.

        Made, it is made with and without the embed code at once (the page's and the embed
        page's), so that the SVGs are read and finished once, and neither is kept in memory
        until the embed pages are written at the end of the build."""
        made: dict[bool, str] = {}

        def make(which: bool) -> str:
            if not made:
                made.update(self._make_bodies(chart_id))
            return made[which]

        # Each page uses it once: a big site's figures stay on disk.
        body = self.texts.get_or_make(
            self._body_key(chart_id, embeddable), lambda: make(embeddable), remember=False
        )
        if made:
            other = not embeddable
            self.texts.get_or_make(
                self._body_key(chart_id, other), lambda: made[other], remember=False
            )
        return body

    def _body_key(self, chart_id: str, embeddable: bool) -> list[str]:
        chart = self.project.charts[chart_id]
        r = self.project.rendered[chart_id]
        d = chart.definition
        digests = [self.project.catalog.datasets[name].digest for name in chart.datasets]
        # The id too: the body names it (the SVGs' title ids, the PNG's file name).
        key = ["body", chart_id, r.key, r.image_key, d.title, d.description, *digests]
        key += [labels] if (labels := self.project.labels_key()) else []
        # The tool's words too (the English key as before): editions not translated yet
        # have the same charts and labels.
        return [*key, str(embeddable)] + ([] if self.words is EN else [self.words["lang"]])

    def _make_bodies(self, chart_id: str) -> dict[bool, str]:
        """The body with the embed code's token (True) and without it (False)."""
        chart = self.project.charts[chart_id]
        r = self.project.rendered[chart_id]
        spec = chart.spec
        rows, columns = self.table(chart_id, spec)
        self._csv_file(chart_id, lambda: figure.data_csv(rows, [c.name for c in columns]))
        fields = self.project.fields_of(chart)
        labelled = [(c.name, self.project.column_label(c.name, fields)) for c in columns]
        d = chart.definition
        formats = json.dumps([(c.name, c.kind, c.format) for c in columns])
        words = self.words
        table = self.texts.get_or_make(
            ["table", r.key, d.title, json.dumps(labelled), formats]
            + ([] if words is EN else [words["lang"]]),  # the English key as before
            lambda: figure.table_html(
                rows,
                labelled,
                words["table_label"].format(title=d.title),
                tables.cell_formatter(columns, spec.get("config", {}).get("locale")),
                words,
            ),
            remember=False,  # part of the figure's body, itself made once per chart
        )
        svgs = (r.svg, r.narrow_svg)
        description = self.project.description_of(chart)
        links = figure.FigureLinks(
            image=_token("svg"),
            csv=_token("csv"),
            spec=_token("vg.json"),
            narrow_spec=_token("narrow.vg.json") if r.has_narrow else "",
            fallback=_token(stand_in_name(r, ".svg")),
            narrow_fallback=_token("narrow." + stand_in_name(r, ".narrow.svg"))
            if r.has_narrow
            else "",
        )
        exact = uses_pointer_position(spec)
        return {
            embeddable: figure.body_html(
                chart_id,
                d.title,
                description,
                svgs,
                rows,
                labelled,
                links,
                exact=exact,
                embed=_EMBED if embeddable else "",
                table=table,
                words=words,
                settings=figure.control_settings(spec),
                foot=_FOOT,
            )
            for embeddable in (True, False)
        }

    def _csv_file(self, chart_id: str, make: Callable[[], str]) -> Path:
        """The file of the chart's CSV download (raw values: only the HTML table is
        formatted), made by `make` unless a build made it before."""
        key = ["csv", self.project.rendered[chart_id].key, *self._digests(chart_id)]
        return self.texts.file_of(key, make)

    def _stand_in(self, r: Rendered, suffix: str) -> Path:
        """The file of the image shown for a layout's SVG over the budget (`suffix`: ".svg"
        or ".narrow.svg"): copied into the site from the cache, not held until MkDocs writes
        the site (a scatter's is hundreds of KB)."""
        draw = stand_in_webp if stand_in_name(r, suffix).endswith("webp") else stand_in_svg
        return self.texts.file_of(
            ["stand-in", r.key, suffix, str(RASTER_ABOVE)],
            lambda: draw(r.path(suffix).read_text("utf-8")),
        )

    def _csv(self, chart_id: str) -> str:
        rows, columns = self.table(chart_id, self.project.charts[chart_id].spec)
        return figure.data_csv(rows, [c.name for c in columns])

    def datasets(self, name: str, page_url: str) -> str:
        """The description of one dataset ("": of them all), with its download link."""
        catalog = self.project.catalog
        chosen = [catalog.datasets[name]] if name else list(catalog.datasets.values())
        return "".join(
            datasets.dataset_html(
                ds, self.link(f"{DATA_DIR}/{datasets.download_name(ds)}", page_url), self.words
            )
            for ds in chosen
        )

    def stylesheet(self, base: str, others: Sequence[Project] = ()) -> str:
        """The site's stylesheet: `base`, the phone breakpoints and each figure's sizes (of
        the `others` projects' figures too: other editions)."""
        shown = [
            (project, chart_id, r)
            for project in [self.project, *others]
            for chart_id, r in sorted(project.rendered.items())
        ]
        sizes = self.texts.get_or_make(
            ["sizes", *(r.key for _, _, r in shown)], lambda: self._size_css(shown)
        )
        return base + breakpoint_css() + sizes

    def _size_css(self, shown: list[tuple[Project, str, Rendered]]) -> str:
        """The figures' size rules, each chart's kept by its render's key: after one chart
        changed, the others' SVGs and specs are not read again."""
        name = "size-rules-" + tool_digest()[:16]
        entry = read_entry(self.texts.folder, name, [".json"])
        known: dict[str, dict[str, str]] = json.loads(entry[".json"]) if entry else {}
        rules: dict[str, dict[str, str]] = {}
        for project, chart_id, r in shown:
            rules[r.key] = known.get(r.key) or figure.size_rules(
                r.svg, r.narrow_svg, uses_pointer_position(project.charts[chart_id].spec)
            )
        if rules.keys() - known.keys():
            # The others' too (another edition's), as many again at most: a long preview's
            # edits do not pile up.
            older = [(k, v) for k, v in known.items() if k not in rules][: len(rules)]
            data = json.dumps(rules | dict(older), sort_keys=True).encode()
            write_entry(self.texts.folder, name, {".json": data})
        return figure.rules_css(rules.values())

    def file_groups(
        self, charts: set[str] | None = None, known_datasets: Collection[str] = ()
    ) -> list[FileGroup]:
        """What the figures link to, in groups (a chart's files, a dataset's download), each
        with a key naming every input of its files and a function making them (manifest.py:
        a rebuild links a group made from the same inputs). `charts`: only these (None: all);
        `known_datasets`: digests to skip."""
        groups = [
            FileGroup(
                f"chart:{chart.id}",
                key_of(r.key, r.image_key, *self._digests(chart.id)),
                partial(self._chart_files, chart.id),
            )
            for chart in self.project.charts.values()
            if charts is None or chart.id in charts
            for r in [self.project.rendered[chart.id]]
        ]
        for ds in self.project.catalog.datasets.values():
            if ds.digest in known_datasets:
                continue
            path = f"{DATA_DIR}/{datasets.download_name(ds)}"
            groups.append(
                FileGroup(
                    f"data:{ds.name}",
                    key_of(
                        path,
                        ds.digest,
                        ds.is_table,
                        ds.encoding,
                        sorted(ds.dialect.items()),
                        ds.download_as_is,
                    ),
                    partial(self._dataset_file, ds.name),
                )
            )
        return groups

    def _dataset_file(self, name: str) -> list[tuple[str, str | bytes | Path]]:
        ds = self.project.catalog.datasets[name]
        content = datasets.download(ds, self.project.settings.root)
        return [(f"{DATA_DIR}/{datasets.download_name(ds)}", content)]

    def _digests(self, chart_id: str) -> list[str]:
        return [
            self.project.catalog.datasets[n].digest for n in self.project.charts[chart_id].datasets
        ]

    def _chart_files(self, chart_id: str) -> list[tuple[str, str | bytes | Path]]:
        """Per chart the download image, the stand-in image of each layout too heavy for the
        page, the specs and the CSV, by path from the site root. A file rendered is given as
        its file in the render cache, copied from there."""
        r = self.project.rendered[chart_id]
        base, image = f"{CHART_DIR}/{r.stem}", f"{CHART_DIR}/{r.image_stem}"
        out: list[tuple[str, str | bytes | Path]] = []
        # The download image, drawn as PNG by the page.
        out.append((f"{image}.svg", r.path(".image.svg")))
        if r.heavy():
            out.append((f"{base}.{stand_in_name(r, '.svg')}", self._stand_in(r, ".svg")))
        out.append((f"{base}.vl.json", r.path(".spec.json")))
        out.append((f"{base}.vg.json", r.path(".vg.json")))  # what the live view draws
        if r.has_narrow:
            out.append((f"{base}.narrow.vg.json", r.path(".narrow.vg.json")))
            if r.heavy(".narrow.svg"):
                name = stand_in_name(r, ".narrow.svg")
                out.append((f"{base}.narrow.{name}", self._stand_in(r, ".narrow.svg")))
        out.append((f"{base}.csv", self._csv_file(chart_id, lambda: self._csv(chart_id))))
        return out


class FileGroup(NamedTuple):
    """Files made together from the same inputs (see `Figures.file_groups`)."""

    name: str
    key: str
    make: Callable[[], list[tuple[str, str | bytes | Path]]]


def chart_svg(project: Project, chart_id: str, svg: str) -> str:
    """A rendered chart's SVG on its own, named and described as its figure is."""
    chart = project.charts[chart_id]
    return figure.accessible_svg(
        svg, chart_id, chart.definition.title, project.description_of(chart)
    )


def stand_in_name(r: Rendered, suffix: str) -> str:
    """How the stand-in of a layout's SVG (`suffix`: ".svg" or ".narrow.svg") ends: the SVG
    itself as a file, or for the densest a WebP (images.RASTER_ABOVE)."""
    return "stand-in.webp" if r.path(suffix).stat().st_size > RASTER_ABOVE else "stand-in.svg"
