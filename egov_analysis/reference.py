"""Third-party reference tables in ``data/external``: CPI, VND/USD rate, province population.

Each table has a ``.source.md`` sidecar naming its source. Loaders read the CSV as text,
let the pandera schema coerce and check every column (lazily, so one run lists every
problem), and raise :class:`~egov_analysis.errors.InputError` naming the file and the fix.
The gazetteer (``gazetteer.py``) reads ``provinces.csv`` with the same reader.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import config
from .errors import InputError, SchemaError
from .schemas import validate

# The CSV header is line 1, so data row i (0-based) is line i + 2 of the file. Validating
# with that index makes "row N" in an error message the line an analyst opens.
_FIRST_DATA_LINE = 2


def read_reference_csv(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Read a UTF-8 reference CSV and validate it against ``schema``.

    Every column is read as text and coerced by the schema, so a malformed value is listed
    as a failure instead of silently turning a column into ``object``. Raises
    :class:`InputError` when the file is missing, unreadable or fails validation.
    """
    sidecar = f"{path.name}.source.md"
    if not path.is_file():
        raise InputError(
            "reference table not found",
            where=path,
            fix=f"restore {path.name} and its sidecar {sidecar} in {path.parent} (from version "
            "control, or copy them from the project's shared reference folder)",
        )
    try:
        df = pd.read_csv(path, dtype=str, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(
            f"cannot be read as a UTF-8 CSV with a header row ({exc})",
            where=path,
            fix=f"save it as UTF-8 CSV with the header described in {sidecar}",
        ) from None
    df.index = pd.RangeIndex(_FIRST_DATA_LINE, _FIRST_DATA_LINE + len(df))
    try:
        df = validate(df, schema, str(path))
    except SchemaError as exc:
        raise InputError(
            exc.message,
            where=path,
            fix=f"correct the listed columns/values (row = line number in the file); "
            f"{sidecar} describes every column and its source",
        ) from None
    return df.reset_index(drop=True)


def _numeric(d: pd.DataFrame, *columns: str) -> bool:
    return all(c in d and pd.api.types.is_numeric_dtype(d[c]) for c in columns)


def _chained(d: pd.DataFrame) -> bool:
    """cpi_index_2010 is 100 in 2010 and chains the inflation rates year on year."""
    if not _numeric(d, "year", "inflation_pct", "cpi_index_2010"):
        return True  # a column is missing or failed coercion; that failure is listed already
    d = d.sort_values("year")
    base = d.loc[d["year"] == 2010, "cpi_index_2010"]
    if len(base) != 1 or abs(float(base.iloc[0]) - 100.0) > 1e-6:
        return False
    expected = d["cpi_index_2010"].shift(1) * (1 + d["inflation_pct"] / 100)
    return bool(((expected - d["cpi_index_2010"]).abs().iloc[1:] <= 0.01).all())


def _consecutive_years(d: pd.DataFrame) -> bool:
    if not _numeric(d, "year"):
        return True  # a column is missing or failed coercion; that failure is listed already
    years = d["year"].sort_values()
    return bool((years.diff().dropna() == 1).all())


CPI = pa.DataFrameSchema(
    {
        "year": pa.Column("int64", pa.Check.in_range(1990, 2100), unique=True, coerce=True),
        "inflation_pct": pa.Column(float, pa.Check.in_range(-50, 100), coerce=True),
        "cpi_index_2010": pa.Column(float, pa.Check.gt(0), coerce=True),
    },
    checks=[
        pa.Check(_consecutive_years, error="years are consecutive"),
        pa.Check(_chained, error="cpi_index_2010 is 100 in 2010 and chains inflation_pct (±0.01)"),
    ],
    strict=True,
    ordered=True,
    name="cpi_vietnam.csv",
)

VND_USD = pa.DataFrameSchema(
    {
        "year": pa.Column("int64", pa.Check.in_range(1990, 2100), unique=True, coerce=True),
        # Blank where no source was found (2022-2024 at the time of writing): see the sidecar.
        "vnd_per_usd": pa.Column(float, pa.Check.in_range(1_000, 100_000), nullable=True, coerce=True),
    },
    checks=[pa.Check(_consecutive_years, error="years are consecutive")],
    strict=True,
    ordered=True,
    name="vnd_usd.csv",
)


def load_cpi(p: config.Paths | None = None) -> pd.DataFrame:
    """Vietnam's annual CPI inflation and a 2010 = 100 index (World Bank FP.CPI.TOTL.ZG).

    Columns: ``year`` (int), ``inflation_pct`` (float), ``cpi_index_2010`` (float).

    >>> float(load_cpi().set_index("year").loc[2010, "cpi_index_2010"])
    100.0
    """
    p = p or config.paths()
    return read_reference_csv(p.cpi_csv, CPI)


def load_vnd_usd(p: config.Paths | None = None) -> pd.DataFrame:
    """Annual-average official VND per USD (World Bank PA.NUS.FCRF).

    Columns: ``year`` (int), ``vnd_per_usd`` (float, NaN where the source year is missing:
    2022-2024 in the shipped file). Callers converting those years must handle NaN.
    """
    p = p or config.paths()
    return read_reference_csv(p.vnd_usd_csv, VND_USD)


def population(p: config.Paths | None = None) -> pd.Series:
    """Average population by province, indexed by canonical province name (63 entries).

    The year is in ``series.attrs["population_year"]`` (2024 in the shipped file).

    >>> int(population()["Cà Mau"])
    1212000
    """
    # Imported here: gazetteer reads provinces.csv with this module's reader.
    from .gazetteer import load_provinces

    provinces = load_provinces(p)
    series = provinces.set_index("name")["population"].rename("population")
    series.index.name = "province"
    years = provinces["population_year"].unique()
    series.attrs["population_year"] = int(years[0]) if len(years) == 1 else None
    return series
