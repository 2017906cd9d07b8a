"""The province report: sections the ``province-report`` notebook displays, in order.

>>> r = ProvinceReport.load("Bắc Giang", "en")   # doctest: +SKIP
>>> r.headline()                                 # doctest: +SKIP
"""

from __future__ import annotations

import math

import pandas as pd

from .. import config
from ..gazetteer import Gazetteer
from ..plots import bar_chart
from . import fmt
from .common import figures_table, live, measure_unit, methodology, quality, savings_chart, sources, stated_value
from .data import ReportData
from .display import Html, figure, heading, note, paragraph, table
from .i18n import check_lang, localize, scope_label, t
from ..errors import ParameterError

KIND_LABEL = {"budget": "budget_savings", "compliance": "compliance_savings"}


class ProvinceReport:
    def __init__(self, data: ReportData, province: str, lang: str):
        self.data, self.province, self.lang = data, province, check_lang(lang)
        rec = data.indicators
        self.records = rec[rec["province"] == province]
        self.kept = live(self.records)

    @classmethod
    def load(cls, province: str, lang: str = "vi", period_start: str | None = None, period_end: str | None = None,
             root: str | None = None) -> "ProvinceReport":
        p = config.paths(root)
        name = Gazetteer.load(p).resolve(province)
        data = ReportData.load(p, period_start, period_end)
        report = cls(data, name, lang)
        if report.kept.empty:
            raise ParameterError(f"no figures for {name} in the corpus (for the chosen period)", where="province",
                                 fix=f"choose one of: {', '.join(data.provinces()) or 'none (run egov build first)'}")
        return report

    # ---- metadata ---------------------------------------------------------------------

    def title(self) -> str:
        return t("report_title", self.lang, province=self.province)

    def period_label(self) -> str:
        d = self.data
        if not d.period_start and not d.period_end:
            return t("all_periods", self.lang)
        return f"{fmt.date(d.period_start, self.lang) if d.period_start else '…'} – {fmt.date(d.period_end, self.lang) if d.period_end else '…'}"

    def intro(self) -> Html:
        lang = self.lang
        n_articles = self.kept["article_id"].nunique()
        text = (f"{len(self.kept)} số liệu từ {n_articles} bài báo; kỳ: {self.period_label()}."
                if lang == "vi" else
                f"{fmt.count(len(self.kept), 'figure', 'figures')} from {fmt.count(n_articles, 'article', 'articles')}; period: {self.period_label()}.")
        return paragraph(text, "egov-meta")

    # ---- sections -----------------------------------------------------------------------

    def headline(self) -> Html:
        lang = self.lang
        rows = self.kept[self.kept["indicator_id"] != "unclassified"]
        out = heading(t("headline", lang)) + paragraph(t("headline_intro", lang, province=self.province))
        return out + table(figures_table(self.data, rows, lang))

    def savings(self) -> Html:
        lang = self.lang
        sav = self.data.tables["savings"]
        sav = sav[sav["province"] == self.province]
        out = heading(t("savings", lang)) + paragraph(t("savings_intro", lang))
        if sav.empty:
            return out + paragraph(t("no_savings", lang, province=self.province))
        base_year = int(sav["base_year"].iloc[0])
        real = "Theo giá" if lang == "vi" else "At prices of"
        for kind, group in sav.groupby("savings_kind", sort=True):
            out += heading(t(KIND_LABEL.get(kind, "budget_savings"), lang), 3)
            rows = []
            for r in group.sort_values("period_start").to_dict("records"):
                rows.append({
                    t("col_period", lang): fmt.period(r["period_start"], r["period_end"], lang),
                    (t("col_value", lang) + (" (bài báo)" if lang == "vi" else " (as stated)")): stated_value(self.data, r, lang),
                    ("Quy đổi 1 năm" if lang == "vi" else "Per year"): fmt.value(r["annual_nominal_vnd"], r["annual_nominal_low_vnd"], r["annual_nominal_high_vnd"], "VND", lang, bound=r["bound"])
                    + (" *" if r["is_annualised"] in (True, "True") else ""),
                    f"{real} {base_year}": fmt.value(r["annual_real_vnd"], r["annual_real_low_vnd"], r["annual_real_high_vnd"], "VND", lang, bound=r["bound"]),
                    "USD": _usd(r, lang),
                    ("Bình quân đầu người" if lang == "vi" else "Per person"): _per_capita(r, lang),
                    t("col_note", lang): localize(r["notes"], lang),
                })
            out += table(pd.DataFrame(rows))
        if sav["is_annualised"].isin([True, "True"]).any():
            star = ("* quy đổi từ kỳ ngắn hơn 12 tháng hoặc từ số liệu theo ngày (xem Phương pháp)." if lang == "vi"
                    else "* scaled from a period shorter than 12 months or from a per-day figure (see Methodology).")
            out += paragraph(star, "egov-meta")
        out += savings_chart(sav, lambda r: f"{t(KIND_LABEL.get(r['savings_kind'], 'budget_savings'), lang)} {int(r['period_year'])}", lang)
        return out

    def adoption(self) -> Html:
        lang = self.lang
        ad = self.data.tables["adoption"]
        ad = ad[ad["province"] == self.province]
        out = heading(t("adoption", lang))
        if ad.empty:
            return out + paragraph(t("no_adoption", lang))
        order = self.data.family_order()
        ad = ad.assign(_o=ad["indicator_id"].map(order).fillna(999)).sort_values(["_o", "scope", "period_end"], na_position="first")
        rows, chart_rows = [], []
        for r in ad.to_dict("records"):
            rate = fmt.value(r["rate_pct"], r["rate_low_pct"], r["rate_high_pct"], "percent", lang, bound=r["bound"])
            if isinstance(r["numerator"], float) and not math.isnan(r["numerator"]) and isinstance(r["denominator"], float) and not math.isnan(r["denominator"]):
                rate += f" ({fmt.number(r['numerator'], lang)}/{fmt.number(r['denominator'], lang)})"
            label = self.data.label(r["rate_id"] if r["rate_id"] in order else r["indicator_id"], lang)
            rows.append({
                t("col_indicator", lang): label,
                t("col_scope", lang): scope_label(r["scope"], lang),
                t("col_rate", lang): rate,
                t("col_period", lang): fmt.period(r["period_start"], r["period_end"], lang),
                t("col_note", lang): localize(r["notes"], lang),
            })
            v = r["rate_pct"] if not pd.isna(r["rate_pct"]) else r["rate_low_pct"]
            if not pd.isna(v):
                scope = f" · {scope_label(r['scope'], lang)}" if isinstance(r["scope"], str) else ""
                chart_rows.append({"y": label + scope, "x": v, "label": rate.split(" (")[0], "bound": r["bound"]})
        out += table(pd.DataFrame(rows))
        if chart_rows:
            fig = bar_chart(pd.DataFrame(chart_rows), x="x", y="y", label="label", bound="bound", xlabel="%", percent=True,
                            legend={k: t(f"legend_{k}", lang) for k in ("exact", "lower", "upper")})
            out += figure(fig, t("fig_adoption", lang))
        return out

    def timeseries(self) -> Html:
        lang = self.lang
        ts = self.data.tables["timeseries"]
        ts = ts[ts["province"] == self.province]
        out = heading(t("timeseries", lang))
        if ts.empty:
            return out + paragraph(t("no_timeseries", lang, province=self.province))
        rows = []
        for r in ts.to_dict("records"):
            unit = measure_unit(r["unit"])
            rows.append({
                t("col_indicator", lang): self.data.label(r["indicator_id"], lang),
                t("col_measure", lang): self.data.measure(r["measure"], lang),
                t("col_from", lang): f"{int(r['year_from'])}: {fmt.value(r['value_from'], r['value_from_low'], r['value_from_high'], unit, lang, bound=r['bound_from'])}",
                t("col_to", lang): f"{int(r['year_to'])}: {fmt.value(r['value_to'], r['value_to_low'], r['value_to_high'], unit, lang, bound=r['bound_to'])}",
                t("col_change", lang): fmt.value(r["change"], r["change_low"], r["change_high"], unit, lang, bound=r["change_bound"]),
                # no rate of change where the change itself is of unknown bound
                t("col_per_year", lang): "–" if pd.isna(r["cagr_pct"]) or str(r["change_bound"]).endswith("unknown")
                else f"{fmt.number(r['cagr_pct'], lang, 1)}%",
                t("col_note", lang): localize(r["notes"], lang),
            })
        return out + table(pd.DataFrame(rows))

    def position(self) -> Html:
        lang = self.lang
        rk = self.data.tables["rankings"]
        # Only rankings where another province has a figure too: a league of one says nothing.
        key = ["indicator_id", "measure", "scope_key"]
        rk = rk.assign(scope_key=rk["scope"].fillna(""))
        n_prov = rk.groupby(key)["province"].transform("nunique")
        mine = rk[(rk["province"] == self.province) & (n_prov >= 2)]
        out = heading(t("position", lang)) + paragraph(t("position_intro", lang))
        if mine.empty:
            return out + paragraph(t("no_position", lang))
        rows = []
        for r in mine.to_dict("records"):
            unit = measure_unit(r["unit"])
            if r["is_comparable"] in (True, "True") and not pd.isna(r["rank"]):
                best, worst = int(r["rank_best"]), int(r["rank_worst"])
                rank = f"{best}/{int(r['n_ranked'])}" if best == worst else f"{best}–{worst}/{int(r['n_ranked'])}"
            elif pd.isna(r["ranking_year"]):
                rank = "–"
            else:
                rank = (f"không xếp hạng (năm xếp hạng {int(r['ranking_year'])})" if lang == "vi"
                        else f"not ranked (ranking year {int(r['ranking_year'])})")
            rows.append({
                t("col_indicator", lang): self.data.label(r["indicator_id"], lang),
                t("col_measure", lang): self.data.measure(r["measure"], lang),
                t("col_scope", lang): scope_label(r["scope"], lang),
                t("col_year", lang): "" if pd.isna(r["period_year"]) else int(r["period_year"]),
                t("col_value", lang): fmt.value(r["value"], r["value_low"], r["value_high"], unit, lang, bound=r["bound"]),
                t("col_rank", lang): rank,
            })
        if rows:
            out += table(pd.DataFrame(rows))
        return out

    def quality(self) -> Html:
        return quality(self.data, [self.province], self.lang)

    def sources(self) -> Html:
        return sources(self.data, self.records, self.lang)

    def methodology(self) -> Html:
        return methodology(self.data, self.lang, [self.province])

    def unclassified(self) -> Html | None:
        """A note on figures the rules left unclassified; None (no output at all) when there are none."""
        un = self.kept[self.kept["indicator_id"] == "unclassified"]
        if un.empty:
            return None
        text = (f"{len(un)} số liệu chưa phân loại được giữ lại để chuyên viên xem xét (xem mục Nguồn)." if self.lang == "vi"
                else f"{len(un)} unclassified figures are kept for analysts to curate (see Sources).")
        return note(text)


def _usd(r: dict, lang: str) -> str:
    if pd.isna(r["annual_nominal_usd"]) and pd.isna(r["annual_nominal_low_usd"]):
        return "–"
    v = fmt.value(*(_three_digits(r[c]) for c in ("annual_nominal_usd", "annual_nominal_low_usd", "annual_nominal_high_usd")), "count", lang,
                  bound=r["bound"])
    return f"{v} USD"


def _three_digits(x: float) -> float:
    """A converted amount to three significant digits: exchange rates carry no more precision."""
    if pd.isna(x) or not x:
        return x
    return float(f"{x:.3g}")


def _per_capita(r: dict, lang: str) -> str:
    if pd.isna(r["annual_real_per_capita_vnd"]) and pd.isna(r["annual_real_per_capita_low_vnd"]):
        return "–"
    return fmt.value(r["annual_real_per_capita_vnd"], r["annual_real_per_capita_low_vnd"], r["annual_real_per_capita_high_vnd"], "VND", lang,
                     bound=r["bound"])

