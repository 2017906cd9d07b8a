"""Validated table schemas at every layer boundary (pandera, lazy: all failures listed).

Column names follow our convention: snake_case ASCII, unit as suffix where a column
holds one unit throughout; ``value``/``value_low``/``value_high`` carry the unit in
the ``unit`` column because one indicators table mixes units.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .errors import SchemaError

QUALIFIERS = ["exact", "over", "nearly", "approx", "approx_over", "approx_nearly", "vague"]
UNITS = ["VND", "VND/day", "USD", "percent", "count", "rank"]
STATUSES = ["extracted", "curated", "rejected"]
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"

SOURCES = pa.DataFrameSchema(
    {
        "article_id": pa.Column(str, unique=True, checks=pa.Check.str_matches(r"^[A-Za-z0-9_.-]+$")),
        "file": pa.Column(str, unique=True, checks=pa.Check.str_matches(r"^articles/[^/]+$")),
        "title": pa.Column(str, checks=pa.Check.str_length(min_value=1)),
        "published": pa.Column(str, nullable=True, checks=pa.Check.str_matches(ISO_DATE)),
        "outlet": pa.Column(str, nullable=True),
        "url": pa.Column(str, nullable=True),
        "language": pa.Column(str, checks=pa.Check.isin(["vi"])),
        "sha256": pa.Column(str, unique=True, checks=pa.Check.str_matches(r"^[0-9a-f]{64}$")),
        "retrieved": pa.Column(str, nullable=True, checks=pa.Check.str_matches(ISO_DATE)),
    },
    strict=True,
    ordered=True,
    name="sources.csv",
)

ARTICLES = pa.DataFrameSchema(
    {
        "article_id": pa.Column(str, unique=True),
        "title": pa.Column(str),
        "published": pa.Column(str, nullable=True, checks=pa.Check.str_matches(ISO_DATE)),
        "outlet": pa.Column(str, nullable=True),
        "author": pa.Column(str, nullable=True),
        "file": pa.Column(str),
        "encoding": pa.Column(str),
        "raw_sha256": pa.Column(str, checks=pa.Check.str_matches(r"^[0-9a-f]{64}$")),
        "body": pa.Column(str),
        "offsets": pa.Column(object),  # list[int]: raw-text start of every body character
        "offsets_end": pa.Column(object),  # list[int]: raw-text end (exclusive) of every body character
        "chars_raw": pa.Column("int64", pa.Check.ge(0)),
        "chars_removed": pa.Column("int64", pa.Check.ge(0)),
        "chars_kept": pa.Column("int64", pa.Check.ge(0)),
        "lines_dropped": pa.Column("int64", pa.Check.ge(0)),
        "reference_date": pa.Column(str, nullable=True, checks=pa.Check.str_matches(ISO_DATE)),
    },
    strict=True,
    ordered=True,
    coerce=True,
    name="articles",
)

SENTENCES = pa.DataFrameSchema(
    {
        "article_id": pa.Column(str),
        "paragraph": pa.Column("int64", pa.Check.ge(0)),
        "sentence": pa.Column("int64", pa.Check.ge(0)),
        "start": pa.Column("int64", pa.Check.ge(0)),  # offsets in the cleaned body
        "end": pa.Column("int64", pa.Check.ge(0)),
        "raw_start": pa.Column("int64", pa.Check.ge(0)),  # offsets in the decoded raw text
        "raw_end": pa.Column("int64", pa.Check.ge(0)),
        "text": pa.Column(str),
    },
    checks=[pa.Check(lambda d: (d["end"] > d["start"]).all(), error="end > start")],
    unique=["article_id", "sentence"],
    strict=True,
    ordered=True,
    coerce=True,
    name="sentences",
)

CLEANING_LOG = pa.DataFrameSchema(
    {
        "article_id": pa.Column(str),
        "line": pa.Column("int64", pa.Check.ge(1)),
        "raw_start": pa.Column("int64", pa.Check.ge(0)),
        "raw_end": pa.Column("int64", pa.Check.ge(0)),
        "action": pa.Column(str, pa.Check.isin(["dropped", "metadata"])),
        "rule": pa.Column(str),
        "detail": pa.Column(str, nullable=True),
        "text": pa.Column(str),
    },
    strict=True,
    ordered=True,
    coerce=True,
    name="cleaning_log",
)

INDICATORS = pa.DataFrameSchema(
    {
        "record_id": pa.Column(str, unique=True),
        "article_id": pa.Column(str),
        "indicator_id": pa.Column(str, checks=pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "province": pa.Column(str, nullable=True),  # canonical name, "Việt Nam" for national
        "period_start": pa.Column(str, nullable=True, checks=pa.Check.str_matches(ISO_DATE)),
        "period_end": pa.Column(str, nullable=True, checks=pa.Check.str_matches(ISO_DATE)),
        "scope": pa.Column(str, nullable=True),
        "value": pa.Column(float, nullable=True),
        "value_low": pa.Column(float, nullable=True),
        "value_high": pa.Column(float, nullable=True),
        "denominator": pa.Column(float, nullable=True, checks=pa.Check.gt(0)),
        "unit": pa.Column(str, checks=pa.Check.isin(UNITS)),
        "qualifier": pa.Column(str, checks=pa.Check.isin(QUALIFIERS)),
        "quote": pa.Column(str, checks=pa.Check.str_length(min_value=1)),
        "quote_start": pa.Column("int64", pa.Check.ge(0)),
        "quote_end": pa.Column("int64", pa.Check.ge(0)),
        "value_text": pa.Column(str),  # the figure as written ("trên 7 tỷ đồng"), inside quote
        "value_start": pa.Column("int64", pa.Check.ge(0)),  # offsets of value_text in the body
        "value_end": pa.Column("int64", pa.Check.ge(0)),
        "part_of": pa.Column(str, nullable=True),  # record_id of the total this figure breaks down
        "status": pa.Column(str, checks=pa.Check.isin(STATUSES)),
        "note": pa.Column(str, nullable=True),  # curation reason, or rule that fired
    },
    checks=[
        pa.Check(lambda d: (d["quote_end"] > d["quote_start"]).all(), error="quote_end > quote_start"),
        pa.Check(
            lambda d: ((d["period_start"].isna()) | (d["period_end"].isna()) | (d["period_start"] <= d["period_end"])).all(),
            error="period_start <= period_end",
        ),
        pa.Check(
            lambda d: (d["value_low"].isna() | d["value_high"].isna() | (d["value_low"] <= d["value_high"])).all(),
            error="value_low <= value_high",
        ),
    ],
    strict=True,
    ordered=True,
    coerce=True,
    name="indicators",
)


def _arrow_schema(schema: pa.DataFrameSchema):
    """The arrow schema of a table with these columns: strings, float64, int64. A streamed
    table is written batch by batch, and a column that is empty in the first batch must not
    fix its type as null."""
    import pyarrow

    def arrow_type(dtype: str):
        return pyarrow.float64() if dtype.startswith("float") else pyarrow.int64() if dtype.startswith("int") else pyarrow.string()

    return pyarrow.schema([(name, arrow_type(str(col.dtype))) for name, col in schema.columns.items()])


INDICATORS_ARROW = _arrow_schema(INDICATORS)


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, where: str) -> pd.DataFrame:
    """Validate ``df`` lazily; raise :class:`SchemaError` listing every failure.

    >>> validate(pd.DataFrame(), pa.DataFrameSchema({}), "x")  # doctest: +SKIP
    """
    try:
        return schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for _, row in cases.head(20).iterrows():
            lines.append(f"  - column {row.get('column')!s}: {row.get('check')!s} failed for {row.get('failure_case')!r} (row {row.get('index')!s})")
        more = "" if len(cases) <= 20 else f"\n  ... and {len(cases) - 20} more"
        raise SchemaError(
            f"{len(cases)} validation failure(s) in table {schema.name!r}:\n" + "\n".join(lines) + more,
            where=where,
            fix="correct the listed values in that file (or the code that produces it) and run again",
        ) from None
