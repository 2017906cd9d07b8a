"""Adoption rates: stated percentages, rates from ratios, online-service maturity mix.

Three sources of a rate, named in the ``source`` column:

* ``stated_percent``: the article gives a percentage ("80% cán bộ ... hộp thư điện tử").
* ``ratio``: the article gives x of y ("139/230 xã" -> 60.4%).
* ``share_of_total``: a count of online services at level 2/3/4 over the total number
  of online services stated in the same article for the same province and period
  (Cần Thơ 101/193 at level 3, 83/193 at level 4).

A zero or missing denominator gives a NaN rate with a note, never inf or an error.
Rates above 100 are kept as stated; :mod:`.checks` reports them.
"""

from __future__ import annotations

import math

import pandas as pd

from .schemas import ADOPTION, conform, join_ids, scope_dimension, sort_table, usable_records

ONLINE_TOTAL = "online_services_total_count"
ONLINE_LEVELS = ["online_services_level2_count", "online_services_level3_count", "online_services_level4_count"]
_MONEY = {"budget_savings_vnd", "compliance_cost_savings_vnd"}


def rate_id_for(indicator_id: str) -> str:
    """The rate a count record becomes: ``*_pct`` ids stay, ``x_count`` -> ``x_share_pct``.

    >>> rate_id_for("online_services_level3_count")
    'online_services_level3_share_pct'
    """
    if indicator_id.endswith("_pct"):
        return indicator_id
    return indicator_id.removesuffix("_count") + "_share_pct"


def _rate(triple, denominator) -> tuple[tuple[float, float, float], str]:
    if pd.isna(denominator):
        return (math.nan,) * 3, "no denominator stated: rate left blank"
    if denominator == 0:
        return (math.nan,) * 3, "denominator is zero: rate left blank"
    return tuple(x / denominator * 100 if pd.notna(x) else math.nan for x in triple), ""


def _base(r, **kw) -> dict:
    return {
        "article_id": r["article_id"], "province": r["province"], "scope": r["scope"],
        "level": scope_dimension(r["scope"])[1], "period_start": r["period_start"],
        "period_end": r["period_end"], "period_year": r["period_year"],
        "qualifier": r["qualifier"], "bound": r["bound"], **kw,
    }


def compute_adoption(indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per rate: stated percentages, ratios and online-service shares.

    ``level`` names the government level from ``scope`` (``department`` for cấp Sở /
    Sở-ngành, ``district``, ``commune``, ``province``; ``all`` for no scope), so a
    breakdown by level is a filter or :func:`level_breakdown`.

    >>> # 16/18 Sở-ngành with a one-stop shop -> rate_pct 88.888..., source "ratio"
    """
    recs = usable_records(indicators)
    rows: list[dict] = []
    not_money = ~recs["indicator_id"].isin(_MONEY)

    for _, r in recs[not_money & (recs["unit"] == "percent")].iterrows():
        rows.append(_base(
            r, record_ids=r["record_id"], rate_id=rate_id_for(r["indicator_id"]), indicator_id=r["indicator_id"],
            source="stated_percent", numerator=math.nan, denominator=math.nan,
            rate_pct=r["value"], rate_low_pct=r["value_low"], rate_high_pct=r["value_high"],
            assumptions="percentage as stated in the article",
            notes="" if pd.notna(r["value"]) else "vague: no number stated",
        ))

    is_ratio = (recs["unit"] == "count") & not_money & (
        recs["denominator"].notna() | recs["indicator_id"].str.endswith("_pct"))
    for _, r in recs[is_ratio].iterrows():
        triple, why = _rate((r["value"], r["value_low"], r["value_high"]), r["denominator"])
        rows.append(_base(
            r, record_ids=r["record_id"], rate_id=rate_id_for(r["indicator_id"]), indicator_id=r["indicator_id"],
            source="ratio", numerator=r["value"], denominator=r["denominator"],
            rate_pct=triple[0], rate_low_pct=triple[1], rate_high_pct=triple[2],
            assumptions="rate = stated part / stated whole x 100", notes=why,
        ))

    rows.extend(_online_shares(recs))
    out = conform(rows, ADOPTION)
    return sort_table(out, ["rate_id", "province", "period_start", "period_end", "level", "record_ids"])


def _online_shares(recs: pd.DataFrame) -> list[dict]:
    """Level-2/3/4 online services as a share of all online services (same article,
    province, period and scope)."""
    key = ["article_id", "province", "period_start", "period_end", "scope_key"]
    plain = recs[(recs["unit"] == "count") & recs["denominator"].isna()]

    def k(values) -> tuple:  # NaN never equals NaN: missing parts of the key become None
        return tuple(None if pd.isna(v) else v for v in values)

    total_recs = plain[plain["indicator_id"] == ONLINE_TOTAL]
    totals = {k(g): grp for g, grp in total_recs.groupby(key, dropna=False, sort=False)}
    empty = plain.iloc[0:0]
    rows = []
    for _, r in plain[plain["indicator_id"].isin(ONLINE_LEVELS)].iterrows():
        match = totals.get(k(r[c] for c in key), empty)
        match_values = sorted(set(match["value"].dropna()))
        if len(match_values) == 1:
            t = match[match["value"] == match_values[0]]
            total = (float(match_values[0]), t["value_low"].min(), t["value_high"].max())
            if total[0] == 0:
                triple, why = (math.nan,) * 3, "total number of online services is zero: share left blank"
            else:
                # the share's low end uses the largest possible total, its high end the smallest
                triple = (r["value"] / total[0] * 100,
                          r["value_low"] / total[2] * 100 if pd.notna(total[2]) and total[2] > 0 else math.nan,
                          r["value_high"] / total[1] * 100 if pd.notna(total[1]) and total[1] > 0 else math.nan)
                why = ""
            ids = join_ids([r["record_id"], *t["record_id"]])
            denom = total[0]
        else:
            triple, ids, denom = (math.nan,) * 3, r["record_id"], math.nan
            why = ("no total number of online services in the same article for this province and period: "
                   "share left blank") if not match_values else (
                "several different totals of online services in the same article: share left blank ("
                + ", ".join(f"{v:g}" for v in match_values) + ")")
        rows.append(_base(
            r, record_ids=ids, rate_id=rate_id_for(r["indicator_id"]), indicator_id=r["indicator_id"],
            source="share_of_total", numerator=r["value"], denominator=denom,
            rate_pct=triple[0], rate_low_pct=triple[1], rate_high_pct=triple[2],
            assumptions="share = services at this level / all online services stated in the same article x 100",
            notes=why,
        ))
    return rows


def level_breakdown(adoption: pd.DataFrame) -> pd.DataFrame:
    """Wide view: one row per (province, rate_id, period_year), one ``rate_pct`` column per
    level (``all``, ``department``, ``district``, ``commune``, ...). Where a level has
    several rates the first in output order is shown; the long table has them all.
    """
    if adoption.empty:
        return pd.DataFrame(columns=["province", "rate_id", "period_year"])
    wide = adoption.pivot_table(index=["province", "rate_id", "period_year"], columns="level",
                                values="rate_pct", aggfunc="first", dropna=False)
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()
