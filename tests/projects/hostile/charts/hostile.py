import altair as alt

from site_builder import chart

NAMES = ["xss_script", "xss_attr", "xss_scriptjson", "md_inject", "formula"]


def bars(table):
    return (
        alt.Chart(table)
        .mark_bar()
        .encode(x="value:Q", y="label:N", tooltip=["label:N", "value:Q"])
    )


for _name in NAMES:
    chart(_name.replace("_", "-"), data=_name, title=f"Hostile {_name}")(bars)


@chart("xss-title", data="xss_script", title="A title drawn from the data")
def xss_title(table):
    return bars(table).properties(title=str(table["title"].iloc[0]))


@chart("expr-inject", data="expr_inject", title="A filter on a hostile value")
def expr_inject(table):
    hostile = str(table["label"].iloc[0])
    return bars(table).transform_filter(alt.datum.label != hostile)


EVIL = '"><img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


@chart(
    "xss-meta",
    data="xss_attr",
    title="Title " + EVIL,
    subtitle="Subtitle " + EVIL,
    description="Description " + EVIL,
    notes=["Note " + EVIL],
    sources=[{"title": "Source " + EVIL, "path": "https://example.org/?q=<script>&x=\"'"}],
)
def xss_meta(table):
    return bars(table)
