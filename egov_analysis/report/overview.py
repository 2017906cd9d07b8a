"""The overview report across provinces: coverage, savings (budget and compliance apart),
league tables by comparable period, national figures, data quality, method."""

from __future__ import annotations

import pandas as pd

from .. import config
from . import fmt
from .common import figures_table, live, measure_unit, methodology, quality, savings_chart, sources, stated_value
from .data import ReportData
from .display import Html, heading, paragraph, table
from .i18n import check_lang, label_or, localize, scope_label, t

NATIONAL = "Việt Nam"


class OverviewReport:
    def __init__(self, data: ReportData, lang: str):
        self.data, self.lang = data, check_lang(lang)
        self.kept = live(data.indicators)

    @classmethod
    def load(cls, lang: str = "vi", period_start: str | None = None, period_end: str | None = None, root: str | None = None) -> "OverviewReport":
        return cls(ReportData.load(config.paths(root), period_start, period_end), lang)

    def title(self) -> str:
        return t("overview_title", self.lang)

    def intro(self) -> Html:
        n_art, n_prov = self.kept["article_id"].nunique(), len(self.data.provinces())
        text = (f"{len(self.kept)} số liệu từ {n_art} bài báo về {n_prov} tỉnh/thành phố."
                if self.lang == "vi" else
                f"{fmt.count(len(self.kept), 'figure', 'figures')} from {fmt.count(n_art, 'article', 'articles')} about {fmt.count(n_prov, 'province', 'provinces')}.")
        return paragraph(text, "egov-meta")

    def coverage(self) -> Html:
        lang = self.lang
        fam = dict(zip(self.data.catalogue["indicator_id"], self.data.catalogue["family"]))
        provincial = self.kept[self.kept["province"] != NATIONAL]  # national figures have their own section
        df = provincial.assign(family=provincial["indicator_id"].map(fam).fillna("other"), province=provincial["province"].fillna("?"))
        pivot = df.pivot_table(index="province", columns="family", values="record_id", aggfunc="count", fill_value=0)
        years = df.assign(y=df["period_end"].str[:4]).groupby("province")["y"].agg(lambda s: ", ".join(sorted(set(s.dropna()))) or "–")
        pivot = pivot.rename(columns=lambda f: label_or(f"fam_{f}", lang, f))
        pivot = pivot.assign(**{t("col_year", lang): years}).reset_index().rename(columns={"province": t("province", lang)})
        return heading(t("coverage", lang)) + paragraph(t("coverage_intro", lang)) + table(pivot.astype(str))

    def savings(self) -> Html:
        lang = self.lang
        sav = self.data.tables["savings"]
        out = heading(t("savings", lang)) + paragraph(t("savings_intro", lang))
        if sav.empty:
            return out
        base_year = int(sav["base_year"].iloc[0])
        for kind, key in (("budget", "budget_savings"), ("compliance", "compliance_savings")):
            group = sav[sav["savings_kind"] == kind].sort_values(["period_year", "province"])
            if group.empty:
                continue
            out += heading(t(key, lang), 3)
            rows = [{
                t("province", lang): r["province"],
                t("col_period", lang): fmt.period(r["period_start"], r["period_end"], lang),
                t("col_value", lang): stated_value(self.data, r, lang),
                (f"Theo giá {base_year}, 1 năm" if lang == "vi" else f"Per year, {base_year} prices"): fmt.value(r["annual_real_vnd"], r["annual_real_low_vnd"], r["annual_real_high_vnd"], "VND", lang, bound=r["bound"]),
                ("Bình quân đầu người" if lang == "vi" else "Per person"): fmt.value(r["annual_real_per_capita_vnd"], r["annual_real_per_capita_low_vnd"], r["annual_real_per_capita_high_vnd"], "VND", lang, bound=r["bound"]),
                t("col_source", lang): self._source_ref(r["record_ids"]),
            } for r in group.to_dict("records")]
            out += table(pd.DataFrame(rows))
            out += savings_chart(group, lambda r: f"{r['province']} ({int(r['period_year'])})", lang, title=t(key, lang))
        return out

    def league_tables(self) -> Html:
        """Per indicator and measure with figures from two or more provinces: the ranking among
        figures of the ranking year, and every other province's figure shown with its own year."""
        lang = self.lang
        rk = self.data.tables["rankings"]
        rk = rk.assign(scope_key=rk["scope"].fillna(""))
        key = ["indicator_id", "measure", "scope_key"]
        many = rk[rk.groupby(key)["province"].transform("nunique") >= 2]
        out = heading(t("league", lang)) + paragraph(t("position_intro", lang))
        if many.empty:
            return out + paragraph(t("no_position", lang))
        for (ind, measure, scope), g in many.groupby(key, sort=True):
            unit = measure_unit(g["unit"].iloc[0])
            year = g["ranking_year"].dropna()
            title = f"{self.data.label(ind, lang)} · {self.data.measure(measure, lang)}{' · ' + scope_label(scope, lang) if scope else ''}" + (f" · {int(year.iloc[0])}" if len(year) else "")
            rows = []
            for r in g.sort_values(["rank_best", "period_year", "province"], na_position="last").to_dict("records"):
                # a rank among one figure ("1/1") says nothing: shown only where two or more were ranked
                comparable = r["is_comparable"] in (True, "True") and not pd.isna(r["rank"]) and r["n_ranked"] >= 2
                if comparable:
                    rank = f"{int(r['rank_best'])}" if r["rank_best"] == r["rank_worst"] else f"{int(r['rank_best'])}–{int(r['rank_worst'])}"
                    rank += f"/{int(r['n_ranked'])}"
                else:
                    rank = "–"
                rows.append({
                    t("col_rank", lang): rank,
                    t("province", lang): r["province"],
                    t("col_year", lang): "" if pd.isna(r["period_year"]) else int(r["period_year"]),
                    t("col_value", lang): fmt.value(r["value"], r["value_low"], r["value_high"], unit, lang, bound=r["bound"]),
                    t("col_note", lang): localize(r["notes"], lang),
                    t("col_source", lang): self._source_ref(r["record_ids"]),
                })
            out += heading(title, 3) + table(pd.DataFrame(rows))
        return out

    def national(self) -> Html:
        lang = self.lang
        nat = self.kept[self.kept["province"] == NATIONAL]
        out = heading(t("national", lang))
        if nat.empty:
            return out + paragraph("–")
        return out + table(figures_table(self.data, nat, lang))

    def _shown_record_ids(self) -> set[str]:
        """The records behind every figure the overview shows: savings, league tables, national."""
        ids: set[str] = set(self.kept.loc[self.kept["province"] == NATIONAL, "record_id"])
        rk = self.data.tables["rankings"]
        many = rk[rk.groupby(["indicator_id", "measure", rk["scope"].fillna("")])["province"].transform("nunique") >= 2]
        for df in (self.data.tables["savings"], many):
            for cell in df["record_ids"].dropna():
                ids.update(x for x in str(cell).split(";") if x)
        return ids

    def _source_ref(self, record_ids) -> str:
        """The short ids of the articles a row rests on ("000, 004"): see the Sources section."""
        if not isinstance(record_ids, str):
            return ""
        by_id = self.data.record_articles
        return ", ".join(sorted({by_id[x][:3] for x in record_ids.split(";") if x in by_id}))

    def sources(self) -> Html:
        """Every figure behind the savings, league tables and national figures, with its quote."""
        shown = self.data.indicators[self.data.indicators["record_id"].isin(self._shown_record_ids())]
        return sources(self.data, shown, self.lang)

    def quality(self) -> Html:
        return quality(self.data, None, self.lang)

    def methodology(self) -> Html:
        return methodology(self.data, self.lang)
