"""Everything a report reads, loaded once and filtered to a period range.

Reports read only ``data/processed`` (validated there) and the catalogue. A period filter
keeps a figure whose period overlaps [period_start, period_end]; undated figures are kept
only when no filter is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .. import config
from ..catalogue import load_catalogue
from ..errors import InputError, ParameterError
from .i18n import label_or

TABLES = ("savings", "adoption", "timeseries", "rankings", "checks")


@dataclass
class ReportData:
    indicators: pd.DataFrame
    articles: pd.DataFrame
    catalogue: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    period_start: str | None = None
    period_end: str | None = None

    @cached_property
    def value_texts(self) -> dict[str, str]:
        """record_id -> the figure as the article writes it."""
        return dict(zip(self.indicators["record_id"], self.indicators["value_text"]))

    @cached_property
    def record_articles(self) -> dict[str, str]:
        """record_id -> the article it comes from."""
        return dict(zip(self.indicators["record_id"], self.indicators["article_id"]))

    @classmethod
    def load(cls, p: config.Paths | None = None, period_start: str | None = None, period_end: str | None = None) -> "ReportData":
        p = p or config.paths()
        for path in (p.indicators_parquet, p.articles_parquet, *(p.comparison_csv(t) for t in TABLES)):
            if not path.exists():
                raise InputError("a processed table the report needs is missing", where=path,
                                 fix="run the data stages first: `egov build` (or egov clean, egov extract, egov compare)")
        for name, value in (("period_start", period_start), ("period_end", period_end)):
            if value is not None:
                try:
                    pd.Timestamp(value)
                except ValueError:
                    raise ParameterError(f"{value!r} is not a date", where=name, fix="use YYYY-MM-DD or None") from None
        indicators = pd.read_parquet(p.indicators_parquet)
        articles = pd.read_parquet(p.articles_parquet, columns=["article_id", "title", "published", "outlet", "reference_date"])
        tables = {t: pd.read_csv(p.comparison_csv(t), dtype={"scope": str, "period_start": str, "period_end": str}) for t in TABLES}
        data = cls(indicators, articles, load_catalogue(p), tables, period_start, period_end)
        return data.filtered()

    def _keep(self, df: pd.DataFrame, start_col="period_start", end_col="period_end") -> pd.Series:
        if self.period_start is None and self.period_end is None:
            return pd.Series(True, index=df.index)
        start = df[start_col].fillna(df[end_col]) if start_col in df else None
        end = df[end_col] if end_col in df else None
        keep = pd.Series(True, index=df.index)
        if end is not None and self.period_start:
            keep &= end.notna() & (end.astype(str) >= self.period_start)
        if start is not None and self.period_end:
            keep &= start.notna() & (start.astype(str) <= self.period_end)
        return keep

    def filtered(self) -> "ReportData":
        self.indicators = self.indicators[self._keep(self.indicators)].reset_index(drop=True)
        for name in ("savings", "adoption", "checks"):
            df = self.tables[name]
            self.tables[name] = df[self._keep(df)].reset_index(drop=True)
        for name in ("timeseries",):
            df = self.tables[name]
            self.tables[name] = df[self._keep(df, "period_start_from", "period_end_to")].reset_index(drop=True)
        rk = self.tables["rankings"]
        if self.period_start or self.period_end:
            lo = int(self.period_start[:4]) if self.period_start else -10**9
            hi = int(self.period_end[:4]) if self.period_end else 10**9
            rk = rk[rk["period_year"].between(lo, hi)]
        self.tables["rankings"] = rk.reset_index(drop=True)
        return self

    def provinces(self) -> list[str]:
        """Provinces with at least one kept figure (national figures go to the overview)."""
        live = self.indicators[self.indicators["status"] != "rejected"]
        return sorted(set(live["province"].dropna()) - {"Việt Nam"})

    def label(self, indicator_id: str, lang: str) -> str:
        """Catalogue name of an indicator; derived rates (e.g. level shares) from the report labels."""
        row = self.catalogue.loc[self.catalogue["indicator_id"] == indicator_id]
        if not row.empty:
            return str(row.iloc[0]["name_vi" if lang == "vi" else "name_en"])
        return label_or(f"ind_{indicator_id}", lang, indicator_id)

    @staticmethod
    def measure(measure: str, lang: str) -> str:
        return label_or(f"measure_{measure}", lang, measure)

    def family_order(self) -> dict[str, int]:
        return {i: n for n, i in enumerate(self.catalogue["indicator_id"])}
