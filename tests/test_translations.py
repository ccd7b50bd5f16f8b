"""Charts and facts in another language (translations.py): what is translated, what is
reported missing and where."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import prepare

from site_builder import translations
from site_builder.errors import WriterError
from site_builder.facts import Fact

SPEC = {
    "title": {"text": "Cities", "subtitle": "By size"},
    "data": {"name": "d"},
    "datasets": {"d": [{"city": "Windhoek", "n": 1}, {"city": "Oslo", "n": 2}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "n", "type": "quantitative", "axis": {"format": ",.0f"}},
        "y": {"field": "city", "type": "nominal", "sort": ["Windhoek", "Oslo"]},
        "color": {
            "condition": {"test": "datum.city === 'Windhoek'", "value": "red"},
            "value": "grey",
        },
    },
}


def test_translate_spec_translates_what_readers_see_and_nothing_else() -> None:
    text = {
        "Cities": "城市",
        "By size": "按规模",
        "Windhoek": "温得和克",
        "city": "城市名",
        "n": "N",
    }
    spec, missing = translations.translate_spec(SPEC, text)
    assert spec["title"] == {"text": "城市", "subtitle": "按规模"}
    assert spec["datasets"]["d"][0]["city"] == "温得和克"
    assert spec["encoding"]["y"]["sort"] == ["温得和克", "Oslo"]
    assert spec["encoding"]["y"]["field"] == "city"  # field names stay
    assert spec["encoding"]["y"]["title"] == "城市名"  # the axis was titled with the field name
    assert spec["encoding"]["color"]["condition"]["test"] == "datum.city === '温得和克'"
    assert missing == ["Oslo"]
    assert SPEC["datasets"]["d"][0]["city"] == "Windhoek"  # the default edition's is untouched


def test_everything_drawn_without_a_translation_is_missing() -> None:
    _, missing = translations.translate_spec(SPEC, {})
    # "n" is drawn too (the x axis's title), but a single letter needs no translation.
    assert missing == ["Cities", "By size", "Windhoek", "Oslo", "city"]


def test_a_channel_drawn_without_axis_or_legend_shows_no_title() -> None:
    spec = {
        "data": {"values": [{"status": "ok", "id": "A1", "n": 1}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "n", "type": "quantitative"},
            "y": {"field": "id", "type": "nominal", "axis": None},
            "color": {"field": "status", "type": "nominal", "legend": None},
        },
    }
    _, missing = translations.translate_spec(spec, {"ok": "好"})
    assert missing == []
    spec["encoding"]["color"]["legend"] = {"orient": "top"}
    assert translations.translate_spec(spec, {"ok": "好"})[1] == ["status"]


def _file(tmp_path: Path, text: str) -> translations.Translations:
    folder = tmp_path / "data" / "translations"
    folder.mkdir(parents=True)
    (folder / "zh.yaml").write_text(text, encoding="utf-8")
    return translations.read_translations(tmp_path / "data", "zh", tmp_path)


def test_read_translations_knows_the_line_of_each_entry(tmp_path: Path) -> None:
    t = _file(tmp_path, "# zh\ncharts:\n  a:\n    title: 甲\ntext:\n  Oslo: 奥斯陆\nfacts: {}\n")
    assert t.charts == {"a": {"title": "甲"}} and t.text == {"Oslo": "奥斯陆"}
    assert (t.line("charts.a"), t.line("text"), t.line("charts.b", "charts")) == (3, 5, 2)


def test_a_yaml_mistake_is_reported_where_it_is(tmp_path: Path) -> None:
    with pytest.raises(WriterError) as info:
        _file(tmp_path, "text:\n  a: [b\n")
    assert info.value.report().startswith("data/translations/zh.yaml:")


def test_localize_reports_each_missing_translation_at_its_place(mini: Path) -> None:
    project = prepare(mini)
    (mini / "data" / "translations").mkdir()
    (mini / "data" / "translations" / "zh.yaml").write_text(
        "charts:\n  city-population:\n    title: 甲\n    subtitle: 乙\n    description: 丙\n"
        "    notes: [丁]\ntext:\n  city: 城市\n",
        encoding="utf-8",
    )
    t = translations.read_translations(mini / "data", "zh", mini)
    edition, problems = translations.localize(project, t)
    said = [str(p).split("\n")[0] for p in problems]
    assert "data/translations/zh.yaml:1: chart 'region-scores': no title in this language" in said
    windhoek = "chart 'city-population' draws 'Windhoek', which has no translation"
    assert f"data/translations/zh.yaml:7: {windhoek}" in said
    assert not any("'city'" in line for line in said)
    chart = edition.charts["city-population"]
    assert chart.definition.title == "甲" and chart.definition.notes == ["丁"]
    assert chart.spec["config"]["locale"]["time"]["shortMonths"][0] == "1月"
    assert project.charts["city-population"].definition.title != "甲"


def test_no_file_is_one_warning_naming_it(mini: Path) -> None:
    t = translations.read_translations(mini / "data", "zh", mini)
    assert not t.found
    problems = translations.localize(prepare(mini), t)[1]
    assert str(problems[0]).startswith("data/translations/zh.yaml: no translations for the 'zh'")


def test_a_fact_takes_the_edition_s_format() -> None:
    fact = Fact("share", 92.4, "over 92%")
    assert translations._fact_text(fact, "超过{value:.0f}%") == "超过92%"
    assert translations._fact_text(fact, "{nope}") == "over 92%"


def test_only_the_edition_s_own_pages_need_translations(mini: Path) -> None:
    project = prepare(mini)
    (mini / "data" / "translations").mkdir()
    (mini / "data" / "translations" / "zh.yaml").write_text("text: {}\n", encoding="utf-8")
    t = translations.read_translations(mini / "data", "zh", mini)
    edition, problems = translations.localize(project, t, shown={"region-scores"})
    assert edition.charts["city-population"] is project.charts["city-population"]
    assert edition.charts["region-scores"] is not project.charts["region-scores"]
    assert not any("city-population" in str(p) for p in problems)
    assert any("region-scores" in str(p) for p in problems)


def test_a_fact_in_words_needs_a_format_in_the_edition(mini: Path) -> None:
    (mini / "content" / "index.zh.md").write_text(
        "# 甲\n\n共有 {{ fact: city-count }} 座城市，占 {{ fact: windhoek-share }}。\n",
        encoding="utf-8",
    )
    project = prepare(mini)
    words = Fact("windhoek-share", 12.5, "about 12.5%")
    project.facts["windhoek-share"] = words
    t = translations.Translations("zh", "data/translations/zh.yaml")
    said = [str(p) for p in translations.localize(project, t, shown=set())[1]]
    assert said == [
        "content/index.zh.md:3:33: fact 'windhoek-share' reads 'about 12.5%', in the default "
        "language\n  hint: give it a format in this language in data/translations/zh.yaml under "
        "facts: windhoek-share: ... (e.g. '12.5%')"
    ]


def test_column_labels_on_axes_are_translated_by_their_title_and_unit() -> None:
    from site_builder.catalog import Field
    from site_builder.translations import _label_text, translate_spec

    fields = {
        "price": Field("price", "number", "Price", unit="EUR"),
        "region": Field("region", "string", "Region"),
    }
    labels = _label_text(fields, {"Price": "价格"})
    assert labels["Price (EUR)"] == "价格 (EUR)"
    spec = {
        "data": {"values": [{"price": 1, "region": "N"}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "price", "type": "quantitative", "title": "Price (EUR)"},
            "y": {"field": "price", "aggregate": "mean", "title": "Mean of Price (EUR)"},
            "color": {"field": "region", "type": "nominal", "title": "Region"},
        },
    }
    out, missing = translate_spec(spec, {**labels, "Price": "价格"})
    assert out["encoding"]["x"]["title"] == "价格 (EUR)"
    # Untranslated, as the figure's table heads them: drawn as they are, not reported.
    assert out["encoding"]["color"]["title"] == "Region" and missing == []
