"""Which reports exist, what each one reads, and which of them are stale.

A report's *key* is the sha256 of everything its output depends on: the notebook, the HTML
templates, the package code and version, its parameters, and the data it reads. For a
province report that data is only its own slice: its indicator rows, the sources.csv rows of
those rows' articles (title, outlet, date and the raw file's sha256, which fix the article's
row in articles.parquet), the comparison rows whose ``province`` is it, every ranking of an
indicator it is ranked in (its position depends on the others), and the indicator catalogue
(labels). So an article about one province re-renders that province, the overview, and
provinces ranked alongside it, not every report. The overview reads everything.

Standard library only (``csv``), so deciding that nothing is stale costs milliseconds.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__, config
from ..errors import InputError, ParameterError
from .hashing import file_sha256, json_sha256, rel
from .stages import COMPARISON_TABLES

#: Comparison tables a report reads (egov_analysis.report.data.TABLES).
REPORT_TABLES = ("savings", "adoption", "timeseries", "rankings", "checks")

NATIONAL = "Việt Nam"  # national figures go to the overview, not to a province report
LANGS = ("vi", "en")
FORMATS = ("html", "pdf")
PROVINCE_NOTEBOOK = "province-report.ipynb"
OVERVIEW_NOTEBOOK = "overview-report.ipynb"
OVERVIEW_SLUG = "overview"

# Every word the build puts on a report (title block, PDF footer), by language.
LABELS = {
    "vi": {
        "province_title": "{name} — báo cáo ứng dụng CNTT",
        "overview_title": "Cả nước — tổng quan ứng dụng CNTT",
        "overview_footer": "Tổng quan cả nước",
        "province": "Tỉnh",
        "scope": "Phạm vi",
        "overview_scope": "Cả nước (mọi tỉnh có số liệu)",
        "period": "Kỳ",
        "all_periods": "tất cả các kỳ",
        "generated": "Thời điểm tạo (UTC)",
        "data_version": "Phiên bản dữ liệu",
        "package": "Phiên bản phần mềm",
        "page": "trang",
    },
    "en": {
        "province_title": "{name} — e-government report",
        "overview_title": "Viet Nam — e-government overview",
        "overview_footer": "National overview",
        "province": "Province",
        "scope": "Scope",
        "overview_scope": "Whole country (every province with data)",
        "period": "Period",
        "all_periods": "all periods",
        "generated": "Generated (UTC)",
        "data_version": "Data version",
        "package": "Package version",
        "page": "page",
    },
}


def slugify(name: str) -> str:
    """ASCII file name of a province: "Bà Rịa - Vũng Tàu" -> "ba-ria-vung-tau".

    (gazetteer.fold does the same folding but imports pandas; a no-op build must not.)
    """
    text = name.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    out, dash = [], False
    for c in text.lower():
        if c.isascii() and c.isalnum():
            out.append(c)
            dash = False
        elif out and not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


# -- the data each report reads ---------------------------------------------------------------


class _Table:
    """A CSV as header + rows of strings (no type conversion: we only hash and filter)."""

    def __init__(self, path: Path):
        self.path = path
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        if path.exists():
            with open(path, encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                self.header = next(reader, [])
                width = len(self.header)
                # Blank lines are no rows; a short row reads as blanks (the stages validate).
                self.rows = [row + [""] * (width - len(row)) for row in reader if row]

    def col(self, name: str) -> int | None:
        return self.header.index(name) if name in self.header else None

    def digest(self, rows: list[list[str]]) -> str:
        return json_sha256([self.header, rows])


@dataclass
class DataIndex:
    """The processed data, cut into what each report reads."""

    provinces: list[str]  # provinces to report: non-rejected records, national excluded, sorted
    slices: dict[str, str]  # province -> sha256 of its slice
    overview: str  # sha256 of everything the overview reads
    periods: dict[str, tuple[str, str]] = field(default_factory=dict)  # province/"" -> (min start, max end)

    @classmethod
    def load(cls, p: config.Paths) -> "DataIndex":
        if not p.indicators_csv.exists():
            raise InputError("no indicators table", where=p.indicators_csv, fix="run the data stages (`egov build` runs them first)")
        ind = _Table(p.indicators_csv)
        c_prov, c_status, c_article = ind.col("province"), ind.col("status"), ind.col("article_id")
        c_start, c_end = ind.col("period_start"), ind.col("period_end")
        by_province: dict[str, list[list[str]]] = defaultdict(list)
        reported: set[str] = set()
        for row in ind.rows:
            by_province[row[c_prov]].append(row)
            if row[c_prov] and row[c_prov] != NATIONAL and row[c_status] != "rejected":
                reported.add(row[c_prov])

        periods: dict[str, tuple[str, str]] = {}
        for prov, rows in list(by_province.items()) + [("", ind.rows)]:
            kept = [r for r in rows if r[c_status] != "rejected"]
            starts = [r[c_start] for r in kept if r[c_start]]
            ends = [r[c_end] for r in kept if r[c_end]]
            periods[prov] = (min(starts, default=""), max(ends, default=""))

        sources = _Table(p.sources_csv)
        s_article = sources.col("article_id")
        tables = {name: _Table(p.comparison_csv(name)) for name in REPORT_TABLES}
        catalogue = file_sha256(p.catalogue_csv)
        slices = {}
        for prov in sorted(reported):
            rows = by_province[prov]
            articles = {r[c_article] for r in rows}
            parts = {
                "indicators": ind.digest(rows),
                "sources": sources.digest([r for r in sources.rows if s_article is not None and r[s_article] in articles]),
                "catalogue": catalogue,
            }
            for name, table in tables.items():
                parts[name] = table.digest(_comparison_rows(name, table, prov))
            slices[prov] = json_sha256(parts)
        everything = {"indicators": ind, "sources": sources, **{t: _Table(p.comparison_csv(t)) for t in COMPARISON_TABLES}}
        overview = json_sha256({"catalogue": catalogue, **{name: t.digest(t.rows) for name, t in everything.items()}})
        return cls(sorted(reported), slices, overview, periods)


def _comparison_rows(name: str, table: _Table, province: str) -> list[list[str]]:
    c_prov = table.col("province")
    if name == "rankings" and c_prov is not None:
        c_ind = table.col("indicator_id")
        ranked_in = {r[c_ind] for r in table.rows if r[c_prov] == province}
        return [r for r in table.rows if r[c_ind] in ranked_in]
    if c_prov is None:
        return []
    return [r for r in table.rows if r[c_prov] == province]


# -- the reports ------------------------------------------------------------------------------


@dataclass
class ReportSpec:
    kind: str  # "province" | "overview"
    name: str  # canonical province name, or "overview"
    lang: str
    slug: str
    notebook: Path
    parameters: dict  # notebook parameters except ``root`` (a path, not content)
    title: str
    footer_label: str
    page_word: str
    meta: list[list]  # [label, value]; the value of the "generated" row is filled in at render time
    inputs: dict
    key: str

    @property
    def id(self) -> str:
        return f"{self.lang}/{self.slug}"

    def notebook_parameters(self, p: config.Paths) -> dict:
        return {**self.parameters, "root": str(p.root)}


def report_specs(
    p: config.Paths,
    data: DataIndex,
    *,
    provinces: list[str] | None,
    langs: tuple[str, ...],
    notebooks_dir: Path,
    period: tuple[str | None, str | None] = (None, None),
    code: str,
    templates: str,
) -> list[ReportSpec]:
    """Every report to consider. ``provinces=None`` means all of them plus the overview."""
    if provinces is not None:
        missing = [prov for prov in provinces if prov not in data.slices]
        if missing:
            raise ParameterError(
                f"no indicator records for {', '.join(repr(m) for m in missing)} in {rel(p.indicators_csv, p.root)}",
                where="--province",
                fix=f"provinces with data: {', '.join(data.provinces) or 'none'}; add an article about it with `egov add`",
            )
    chosen = data.provinces if provinces is None else sorted(set(provinces))
    notebook_hashes = {}
    for name in (PROVINCE_NOTEBOOK, OVERVIEW_NOTEBOOK):
        if name == OVERVIEW_NOTEBOOK and provinces is not None:
            continue
        path = notebooks_dir / name
        notebook_hashes[name] = file_sha256(path)
        if notebook_hashes[name] is None:
            raise InputError(
                "report notebook not found",
                where=path,
                fix="add the notebook to notebooks/, or point EGOV_NOTEBOOKS at a folder that has it",
            )
    common = {"templates": templates, "code": code, "package_version": __version__}
    start, end = period
    specs = []
    for lang in langs:
        words = LABELS[lang]
        if provinces is None:
            params = {"lang": lang, "period_start": start, "period_end": end}
            inputs = {"notebook": notebook_hashes[OVERVIEW_NOTEBOOK], **common, "parameters": params, "data": data.overview}
            meta = [
                [words["scope"], words["overview_scope"]],
                [words["period"], _period_text(period, data.periods.get("", ("", "")), words)],
                [words["generated"], None],
                [words["data_version"], data.overview[:12]],
                [words["package"], f"egov-analysis {__version__}"],
            ]
            specs.append(_spec("overview", "overview", lang, OVERVIEW_SLUG, notebooks_dir / OVERVIEW_NOTEBOOK,
                               params, words["overview_title"], words["overview_footer"], words["page"], meta, inputs))
        for prov in chosen:
            params = {"province": prov, "lang": lang, "period_start": start, "period_end": end}
            inputs = {"notebook": notebook_hashes[PROVINCE_NOTEBOOK], **common, "parameters": params, "data": data.slices[prov]}
            meta = [
                [words["province"], prov],
                [words["period"], _period_text(period, data.periods.get(prov, ("", "")), words)],
                [words["generated"], None],
                [words["data_version"], data.slices[prov][:12]],
                [words["package"], f"egov-analysis {__version__}"],
            ]
            specs.append(_spec("province", prov, lang, slugify(prov), notebooks_dir / PROVINCE_NOTEBOOK,
                               params, words["province_title"].format(name=prov), prov, words["page"], meta, inputs))
    return specs


def _spec(kind, name, lang, slug, notebook, params, title, footer, page_word, meta, inputs) -> ReportSpec:
    return ReportSpec(kind, name, lang, slug, notebook, params, title, footer, page_word, meta, inputs, json_sha256(inputs))


def _period_text(period: tuple, from_data: tuple[str, str], words: dict) -> str:
    """The period asked for, else "all periods (what the data covers)"."""
    if any(period):
        return f"{period[0] or '…'} – {period[1] or '…'}"
    if any(from_data):
        return f"{words['all_periods']} ({from_data[0] or '…'} – {from_data[1] or '…'})"
    return words["all_periods"]


# -- staleness --------------------------------------------------------------------------------

_INPUT_NAMES = {
    "data": "data changed",
    "notebook": "notebook changed",
    "templates": "templates changed",
    "code": "package code changed",
    "package_version": "package version changed",
    "parameters": "parameters changed",
}


@dataclass
class Work:
    """One report to render: which formats, from what, and why."""

    spec: ReportSpec
    formats: tuple[str, ...]
    reasons: list[str]
    reuse_html: Path | None = None  # print the PDF from this up-to-date HTML instead of executing


def published_path(p: config.Paths, spec: ReportSpec, fmt: str) -> Path:
    return p.reports / spec.lang / f"{spec.slug}.{fmt}"


def plan_report(p: config.Paths, spec: ReportSpec, entry: dict | None, formats: tuple[str, ...], *, force: bool) -> Work | None:
    """The work ``spec`` needs for ``formats``, or None if every format is up to date."""
    published = (entry or {}).get("published", {})
    reasons: list[str] = []
    stale: list[str] = []
    for fmt in formats:
        why = _format_reasons(p, spec, fmt, published.get(fmt), entry, force)
        if why:
            stale.append(fmt)
            reasons += [r for r in why if r not in reasons]
    if not stale:
        return None
    order = list(_INPUT_NAMES.values())
    reasons.sort(key=lambda r: order.index(r) if r in order else len(order))
    if entry and entry.get("status") == "failed" and entry.get("key") == spec.key:
        reasons.append("retrying: the last attempt failed")
    reuse = None
    if stale == ["pdf"] and not force:
        html = published_path(p, spec, "html")
        if not _format_reasons(p, spec, "html", published.get("html"), entry, False):
            reuse = html
    return Work(spec, tuple(stale), reasons, reuse)


def _format_reasons(p, spec, fmt, pub: dict | None, entry, force: bool) -> list[str]:
    if force:
        return ["--force"]
    if pub is None:
        return ["new report" if not entry else f"no {fmt} published yet"]
    reasons = []
    if pub.get("key") != spec.key:
        old = pub.get("inputs", {})
        reasons += [text for name, text in _INPUT_NAMES.items() if old.get(name) != spec.inputs.get(name)]
        reasons = reasons or ["inputs changed"]
    path = published_path(p, spec, fmt)
    digest = file_sha256(path)
    if digest is None:
        reasons.append(f"{fmt} missing")
    elif digest != pub.get("sha256"):
        reasons.append(f"{fmt} modified since it was published")
    return reasons
