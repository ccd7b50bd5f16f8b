"""The HTML that tells readers what each dataset is, and the files they can download."""

from __future__ import annotations

import codecs
import csv
import io
import re
from html import escape
from pathlib import Path
from typing import Any

from .catalog import Dataset
from .figure import FORMULA_START, defuse_formula, source_links
from .strings import EN, Words
from .urls import is_web_url


def download_name(ds: Dataset) -> str:
    """`<name>.<hash8>.<ext>`: a new name whenever the data changes."""
    ext = "json" if not ds.is_table else "csv"
    return f"{ds.name}.{ds.digest[:8]}.{ext}"


def is_plain(ds: Dataset) -> bool:
    """No text cell (header included) that a spreadsheet would run (known already in a
    project from the snapshot, which holds no tables)."""
    if ds.download_as_is is not None:
        return ds.download_as_is
    if any(f.name.startswith(FORMULA_START) for f in ds.fields):
        return False  # a header cell is a cell too
    return not any(_runs(ds.frame[f.name]) for f in ds.fields if f.type not in _NUMERIC)


def _runs(column: Any) -> bool:
    """Whether a cell of the column, written as text, starts as a formula."""
    import pandas as pd

    if str(column.dtype) not in ("str", "string", "object"):  # dates, booleans
        return bool(column.dropna().astype("str").str.match(_FORMULA).any())
    # Cell by cell: pandas' own path cost more than the rest of loading a small table.
    return any(
        str(v).startswith(FORMULA_START)
        for v in column.tolist()
        if not (v is None or v is pd.NA or v is pd.NaT or (type(v) is float and v != v))
    )


def release_table(ds: Dataset) -> None:
    """Let the dataset's table go, once the build has built everything that reads it; what
    pages need of it (its row count, whether its download needs defusing) is kept."""
    if ds.is_table and ds.frame is not None:
        ds.download_as_is = is_plain(ds)
        ds.rows = len(ds.frame)
        ds.frame = None


def download_bytes(ds: Dataset, root: Path) -> bytes:
    """The file as readers get it, in UTF-8: text cells that a spreadsheet would run are defused.

    Cells of number columns (-5, +1) are numbers, not formulas, and stay as they are.
    """
    found = download(ds, root)
    return found.read_bytes() if isinstance(found, Path) else found


def download(ds: Dataset, root: Path) -> Path | bytes:
    """What `download_bytes` gives, as the project's own file when that is it as it is (so
    that a build copies it rather than hold it)."""
    path = root / ds.path
    if not ds.is_table:
        return path
    text_columns = [f.type not in _NUMERIC for f in ds.fields]
    utf8 = codecs.lookup(ds.encoding).name == "utf-8"
    if utf8 and is_plain(ds):
        with path.open("rb") as f:
            if f.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
                return path  # nothing to defuse: the file as it is (fast for a big table)
    raw = path.read_bytes()
    # Readers get UTF-8 whatever the file's encoding (the loader has decoded it already).
    text = raw.decode("utf-8-sig" if utf8 else ds.encoding)
    rows = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=ds.dialect.get("delimiter", ","),
        quotechar=ds.dialect.get("quoteChar", '"'),
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for number, row in enumerate(rows):
        writer.writerow(
            [
                defuse_formula(cell)
                if not number or (i < len(text_columns) and text_columns[i])
                else cell
                for i, cell in enumerate(row)
            ]
        )
    return out.getvalue().encode("utf-8")


_NUMERIC = ("number", "integer", "year")
# What defuse_formula defuses, as a pattern that runs over a whole column at once.
_FORMULA = "[" + re.escape("".join(FORMULA_START)) + "]"


def dataset_html(ds: Dataset, download: str, words: Words = EN) -> str:
    """A section describing one dataset: description, sources, licence, columns, download."""
    sources = source_links(ds.sources, words["list_separator"])
    licences = ", ".join(_licence(lic) for lic in ds.licenses) or escape(words["not_stated"])
    size = escape(words["rows"].format(count=ds.row_count)) if ds.is_table else "JSON"
    link = f'<a href="{escape(download)}" download>{escape(Path(ds.path).name)}</a>'
    name = ds.title or ds.name
    head = "".join(
        f'<th scope="col">{escape(words[key])}</th>'
        for key in ("column", "title", "type", "unit", "description")
    )
    parts = [
        f'<section class="sb-dataset" id="dataset-{escape(ds.name)}">',
        f"<h2>{escape(ds.title or ds.name)}</h2>",
        f"<p>{escape(ds.description)}</p>",
        '<p class="sb-dataset__meta">'
        + escape(words["dataset_meta"]).format(link=link, size=size, licences=licences)
        + "</p>",
        f'<p class="sb-dataset__sources">{escape(words["sources"]).format(links=sources)}</p>',
    ]
    if ds.fields:
        rows = "".join(
            f"<tr><td><code>{escape(f.name)}</code></td><td>{escape(f.title)}</td>"
            f"<td>{escape(f.type)}</td><td>{escape(f.unit)}</td>"
            f"<td>{escape(f.description)}</td></tr>"
            for f in ds.fields
        )
        parts.append(
            f'<details class="sb-dataset__fields"><summary>{escape(words["columns"])}</summary>'
            '<div class="sb-figure__table" tabindex="0" role="region" '
            f'aria-label="{escape(words["columns_of"].format(name=name))}"><table><thead><tr>'
            f"{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table></div></details>"
        )
    parts.append("</section>")
    return "".join(parts)


def _licence(lic: object) -> str:
    if not isinstance(lic, dict):
        return escape(str(lic))
    name = escape(str(lic.get("title") or lic.get("name") or ""))
    url = str(lic.get("path") or "")
    if is_web_url(url):
        return f'<a href="{escape(url)}" rel="noopener">{name}</a>'
    return name
