"""Report sections shared by the province and overview reports: figures, sources, quality, method."""

from __future__ import annotations

import pandas as pd

from . import fmt
from .data import ReportData
from .display import Html, figure, heading, items, note, paragraph, table
from .i18n import label_or, localize, scope_label, t


def text_or_none(x) -> str | None:
    """A cell as text, or None when it is empty/NaN."""
    return x if isinstance(x, str) and x else None


def live(df: pd.DataFrame) -> pd.DataFrame:
    """Records that count: not rejected."""
    return df[df["status"] != "rejected"]


def figures_table(data: ReportData, records: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One display row per record: indicator, value with bounds, period, scope, as written, source."""
    order = data.family_order()
    rec = records.assign(_o=records["indicator_id"].map(order).fillna(999)).sort_values(["_o", "period_end", "quote_start"], na_position="first")
    pub = {a: text_or_none(d) for a, d in zip(data.articles["article_id"], data.articles["published"])}
    rows = []
    for r in rec.to_dict("records"):
        if r["qualifier"] == "vague":
            shown = t("vague", lang, text=r["value_text"])
        else:
            shown = fmt.value(r["value"], r["value_low"], r["value_high"], r["unit"], lang, r["denominator"], r["qualifier"])
        rows.append({
            t("col_indicator", lang): data.label(r["indicator_id"], lang),
            t("col_value", lang): shown,
            t("col_period", lang): fmt.period(r["period_start"], r["period_end"], lang),
            t("col_scope", lang): scope_label(r["scope"], lang),
            t("col_as_written", lang): r["value_text"],
            t("col_source", lang): r["article_id"][:3] + (f", {fmt.date(d, lang)}" if (d := pub.get(r["article_id"])) else ""),
        })
    return pd.DataFrame(rows)


def stated_value(data: ReportData, row: dict, lang: str) -> str:
    """A savings row's figure as the article states it; a vague amount in its own words
    ("vài tỷ đồng (không có số cụ thể)") rather than a dash."""
    if row["bound"] == "vague":
        return t("vague", lang, text=data.value_texts.get(row["record_id"], "–"))
    unit = row["unit_stated"] if isinstance(row["unit_stated"], str) else "VND"
    return fmt.value(row["value_stated"], row["value_stated_low"], row["value_stated_high"], unit, lang, bound=row["bound"])


def sources(data: ReportData, records: pd.DataFrame, lang: str) -> Html:
    """Every figure with its article, date and exact quote (escaped)."""
    out = heading(t("sources", lang)) + paragraph(t("sources_intro", lang))
    arts = data.articles.set_index("article_id")
    for article_id, group in records.sort_values(["article_id", "quote_start", "value_start"]).groupby("article_id", sort=True):
        a = arts.loc[article_id]
        published = text_or_none(a["published"])
        date = fmt.date(published, lang) if published else f"{t('col_date', lang)}: {t('not_stated', lang)}"
        meta = ", ".join(x for x in [text_or_none(a["outlet"]), date] if x)
        out += heading(f"{article_id[:3]} · {a['title']}", 3) + paragraph(meta, "egov-meta")
        rows = [{
            t("col_as_written", lang): r["value_text"],
            t("col_indicator", lang): data.label(r["indicator_id"], lang) + ("" if r["status"] != "rejected" else f" ({r['status']})"),
            t("col_quote", lang): r["quote"],
        } for r in group.to_dict("records")]
        out += table(pd.DataFrame(rows), css="egov-table egov-sources")
    return out


def quality(data: ReportData, provinces: list[str] | None, lang: str) -> Html:
    checks = data.tables["checks"]
    if provinces is not None:
        checks = checks[checks["province"].isin(provinces)]
    failed = checks[checks["status"] != "pass"]
    out = heading(t("quality", lang))
    if failed.empty:
        out += paragraph(t("quality_ok_one", lang) if len(checks) == 1 else t("quality_ok", lang, n=len(checks)))
    else:
        out += note(t("quality_failed", lang, n=len(failed)))
    shown = pd.concat([failed, checks[checks["status"] == "pass"]])
    if not shown.empty:
        out += table(pd.DataFrame({
            t("col_check", lang): shown["check"].map(lambda c: label_or(f"check:{c}", lang, c)),
            t("province", lang): shown["province"].fillna(""),
            t("col_status", lang): shown["status"].map(lambda s: t("pass", lang) if s == "pass" else t("fail", lang)),
            t("col_message", lang): shown["message"].map(lambda m: localize(m, lang)),
        }))
    return out


METHOD_KEYS = ("method_extract", "method_bounds", "method_periods", "method_savings")


def methodology(data: ReportData, lang: str, provinces: list[str] | None = None) -> Html:
    """Method and every assumption the comparison step stated for the figures of ``provinces``
    (all when None), read from its output tables: a province's report states its own."""
    out = heading(t("methodology", lang)) + items([t(k, lang) for k in METHOD_KEYS])
    assumptions: list[str] = []
    seen: set[str] = set()
    for name, section in (("savings", "savings"), ("adoption", "adoption"), ("timeseries", "timeseries"), ("rankings", "position")):
        df = data.tables[name]
        if "assumptions" in df:
            if provinces is not None and "province" in df:
                df = df[df["province"].isin(provinces)]
            for text in df["assumptions"].dropna().unique():
                for part in split_outside_brackets(localize(str(text), lang)):
                    if part and part not in seen:  # each once, under the first part of the report it is about
                        seen.add(part)
                        assumptions.append(f"{t(section, lang)}: {part}")
    if assumptions:
        out += heading(t("assumptions_heading", lang), 3) + items(assumptions)
    out += heading(t("reference_heading", lang), 3) + items([t(k, lang) for k in REFERENCE_KEYS])
    return out


REFERENCE_KEYS = ("reference_cpi", "reference_fx", "reference_population", "reference_provinces")


def split_outside_brackets(text: str, sep: str = "; ") -> list[str]:
    """``text`` split at ``sep`` where no bracket is open.

    >>> split_outside_brackets("xếp hạng như bài báo nêu (trên 63; thấp hơn là tốt hơn); số liệu đủ 12 tháng")
    ['xếp hạng như bài báo nêu (trên 63; thấp hơn là tốt hơn)', 'số liệu đủ 12 tháng']
    """
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i = i + len(sep)
            continue
        i += 1
    parts.append(text[start:])
    return [p for p in parts if p]


def measure_unit(unit_text) -> str:
    """The display unit (VND, percent, count) of a comparison table's unit column."""
    text = str(unit_text)
    return "VND" if "VND" in text else ("percent" if "percent" in text else "count")


def savings_chart(sav: pd.DataFrame, y_labels, lang: str, title: str = "") -> Html:
    """Bars of savings per year at constant prices; a lower bound is drawn hatched.

    ``y_labels(row) -> str`` names each bar. Rows with neither a value nor a lower bound are left out.
    """
    from ..plots import bar_chart

    chart = sav.assign(v=sav["annual_real_vnd"].fillna(sav["annual_real_low_vnd"])).dropna(subset=["v"])
    if chart.empty:
        return Html("")
    base_year = int(chart["base_year"].iloc[0])
    chart = chart.assign(
        y=[y_labels(r) for r in chart.to_dict("records")],
        x=chart["v"] / 1e9,
        label=[fmt.value(v, lo, hi, "VND", lang, bound=b)
               for v, lo, hi, b in zip(chart["annual_real_vnd"], chart["annual_real_low_vnd"], chart["annual_real_high_vnd"], chart["bound"])],
    )
    fig = bar_chart(chart, x="x", y="y", label="label", bound="bound", xlabel=t("unit_bn", lang), title=title,
                    legend={k: t(f"legend_{k}", lang) for k in ("exact", "lower", "upper")})
    return figure(fig, t("fig_savings", lang, base_year=base_year))
