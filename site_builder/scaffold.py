"""`site-builder new chart`: a working chart module for a dataset, to start from."""

from __future__ import annotations

from .catalog import Dataset

_TEMPLATE = '''"""{title}: a first chart of {name}; make it say what the data shows."""

import altair as alt

from site_builder import chart


@chart(
    "{chart_id}",
    data="{name}",
    title="{title}",
    description="{description}",
)
def {function}(table):
    return (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("{quantity}:Q", title="{quantity_label}"),
            y=alt.Y("{category}:N", sort="-x", title=None),
            tooltip=["{category}:N", "{quantity}:Q"],
        )
    )
'''


def chart_module(chart_id: str, ds: Dataset) -> str:
    """Python source of a bar chart of the dataset's first number by its first text column."""
    numbers = [f for f in ds.fields if f.type in ("number", "integer")]
    texts = [f for f in ds.fields if f.type == "string"]
    if not numbers or not texts:
        raise ValueError(
            f"dataset '{ds.name}' needs a text column and a number column for a first chart"
        )
    quantity, category = numbers[0], texts[0]
    title = (ds.title or ds.name).replace('"', "'")
    return _TEMPLATE.format(
        chart_id=chart_id,
        name=ds.name,
        function=chart_id.replace("-", "_"),
        title=title,
        description=f"Bars of {quantity.label} by {category.label}.".replace('"', "'"),
        quantity=quantity.name,
        quantity_label=quantity.label.replace('"', "'"),
        category=category.name,
    )
