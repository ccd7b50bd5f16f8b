"""The tool's own words that readers see (figure captions, data tables, downloads, embeds, the
data page, the edition links), one catalogue per language. A language without a catalogue is
written with the English one; each catalogue has every key (tests/test_strings.py)."""

from __future__ import annotations

from collections.abc import Mapping

Words = Mapping[str, str]

EN: dict[str, str] = {
    "lang": "en",
    "note": "Note: {text}",
    "source": "Source: {links}",
    "sources": "Sources: {links}",
    "scrolls": "Chart (scrolls sideways): {title}",
    "show_table": "Show the data as a table",
    "table_label": "Data: {title}",
    "first_rows": "First {shown} of {total} rows; download the CSV for all of them.",
    "downloads": "Download: {links}",
    "data_csv": "data (CSV)",
    "image_svg": "image (SVG)",
    "image_png": "image (PNG)",
    "embed": "Embed this chart",
    "embed_relative": (
        "This code points to the chart by an address relative to this site, so it works only "
        "here: the site was built without its address (site_url)."
    ),
    "embed_from": "From {link}",
    "dataset_meta": "Download: {link} ({size}) · Licence: {licences}",
    "rows": "{count} rows",
    "not_stated": "not stated",
    "columns": "Columns",
    "columns_of": "Columns of {name}",
    "column": "Column",
    "title": "Title",
    "type": "Type",
    "unit": "Unit",
    "description": "Description",
    "read_in": "Read in: {links}",
    "list_separator": "; ",
    "drawn_for": "Drawn for {settings}.",
    "setting": "{name}: {value}",
}

# Simplified Chinese: full-width colon and semicolon, no space before a link list.
ZH: dict[str, str] = {
    "lang": "zh",
    "note": "注：{text}",
    "source": "来源：{links}",
    "sources": "来源：{links}",
    "scrolls": "图表（可横向滚动）：{title}",
    "show_table": "以表格显示数据",
    "table_label": "数据：{title}",
    "first_rows": "仅显示前 {shown} 行，共 {total} 行；下载 CSV 文件可查看全部数据。",
    "downloads": "下载：{links}",
    "data_csv": "数据（CSV）",
    "image_svg": "图片（SVG）",
    "image_png": "图片（PNG）",
    "embed": "嵌入此图表",
    "embed_relative": (
        "此代码以相对于本站的地址指向图表，因此只能在本站使用：构建网站时未设置其地址（site_url）。"
    ),
    "embed_from": "出自 {link}",
    "dataset_meta": "下载：{link}（{size}）· 许可协议：{licences}",
    "rows": "{count} 行",
    "not_stated": "未注明",
    "columns": "数据列",
    "columns_of": "{name}的数据列",
    "column": "列名",
    "title": "标题",
    "type": "类型",
    "unit": "单位",
    "description": "说明",
    "read_in": "其他语言：{links}",
    "list_separator": "；",
    "drawn_for": "图表按以下设置绘制：{settings}。",
    "setting": "{name} = {value}",
}

CATALOGUES: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}


def words_for(locale: str | None) -> Words:
    """The catalogue for `locale` ("zh", "zh-Hans" and "zh_CN" all find "zh"); English for
    None or a language without one."""
    if not locale:
        return EN
    return CATALOGUES.get(locale) or CATALOGUES.get(locale.replace("_", "-").split("-")[0], EN)
