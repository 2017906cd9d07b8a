"""The indicator catalogue: ``data/external/indicators.csv``.

One row per indicator: id, Vietnamese and English names, family, unit, kind
(stock/flow/rate/rank), what it is measured over (a ``period`` or a ``date``), direction,
description. Reports take their labels from here; extraction reads ``kind`` and
``measured_over`` to date a figure whose sentence names no period.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from . import config
from .errors import InputError
from .schemas import validate

CATALOGUE = pa.DataFrameSchema(
    {
        "indicator_id": pa.Column(str, unique=True, checks=pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "name_vi": pa.Column(str),
        "name_en": pa.Column(str),
        "family": pa.Column(str),
        "unit": pa.Column(str, pa.Check.isin(["VND", "percent", "count", "rank"])),
        "kind": pa.Column(str, pa.Check.isin(["stock", "flow", "rate", "rank"])),
        "measured_over": pa.Column(str, pa.Check.isin(["period", "date"])),
        "higher_is_better": pa.Column("boolean", nullable=True),
        "description": pa.Column(str),
    },
    strict=True,
    ordered=True,
    coerce=True,
    name="indicator catalogue",
)

REQUIRED_IDS = {
    "budget_savings_vnd", "compliance_cost_savings_vnd", "edoc_exchange_rate_pct", "edocs_count",
    "doc_system_units_count", "doc_system_users_count", "doc_system_coverage_pct",
    "digital_signature_certificates_count", "digitally_signed_documents_count",
    "digital_certificate_coverage_pct", "one_stop_shop_coverage_pct", "one_stop_shop_dossiers_count",
    "one_stop_shop_ontime_rate_pct", "online_services_total_count", "online_services_level2_count",
    "online_services_level3_count", "online_services_level4_count", "portals_count", "portal_posts_count",
    "website_coverage_pct", "officials_with_computer_pct", "officials_with_email_pct",
    "officials_using_email_pct", "data_network_coverage_pct", "video_conference_points_count",
    "video_conference_coverage_pct", "ict_index_rank", "doc_system_extended_units_count",
    "one_stop_shop_commune_link_coverage_pct", "portal_posts_increase_count", "unclassified",
}


def load_catalogue(p: config.Paths | None = None) -> pd.DataFrame:
    """The validated catalogue, indexed by nothing (one row per indicator_id)."""
    p = p or config.paths()
    path = p.catalogue_csv
    if not path.exists():
        raise InputError("the indicator catalogue is missing", where=path, fix="restore data/external/indicators.csv from git")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["higher_is_better"] = df["higher_is_better"].map({"true": True, "false": False, "": None})
    df = validate(df, CATALOGUE, str(path))
    missing = REQUIRED_IDS - set(df["indicator_id"])
    if missing:
        raise InputError(f"the catalogue lacks required indicator(s): {sorted(missing)}", where=path, fix="restore those rows")
    return df


def measured_over(catalogue: pd.DataFrame) -> dict[str, str]:
    """indicator_id -> "period" or "date" (see ``data/external/indicators.csv.source.md``)."""
    return dict(zip(catalogue["indicator_id"], catalogue["measured_over"]))


@lru_cache(maxsize=4)
def default_measured_over(root: str | None = None) -> dict[str, str]:
    """:func:`measured_over` of the catalogue under ``root`` (default: this checkout or $EGOV_ROOT)."""
    return measured_over(load_catalogue(config.paths(root)))


def label(catalogue: pd.DataFrame, indicator_id: str, lang: str = "vi") -> str:
    """Display name of an indicator in ``lang`` ("vi" or "en")."""
    row = catalogue.loc[catalogue["indicator_id"] == indicator_id]
    if row.empty:
        return indicator_id
    return str(row.iloc[0]["name_vi" if lang == "vi" else "name_en"])
