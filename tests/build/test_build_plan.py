"""What the build considers stale, computed without running anything (fast tests)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from egov_analysis import config
from egov_analysis.build.index import render_index
from egov_analysis.build.plan import REPORT_TABLES, DataIndex, plan_report, published_path, report_specs, slugify
from egov_analysis.build.stages import COMPARISON_TABLES

from .conftest import REPO, egov_build


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


IND_HEADER = ["record_id", "article_id", "indicator_id", "province", "period_start", "period_end", "status"]
RANK_HEADER = ["indicator_id", "province", "rank"]


@pytest.fixture
def tiny(tmp_path) -> config.Paths:
    """Processed tables by hand: two provinces sharing one ranking, one national record."""
    p = config.paths(tmp_path)
    _write_csv(p.indicators_csv, IND_HEADER, [
        ["r1", "a1", "budget_savings_vnd", "Cà Mau", "2016-01-01", "2016-12-31", "extracted"],
        ["r2", "a2", "budget_savings_vnd", "Bắc Giang", "2014-01-01", "2014-12-31", "extracted"],
        ["r3", "a2", "edocs_count", "Bắc Giang", "2015-01-01", "2015-12-31", "extracted"],
        ["r4", "a3", "edocs_count", "Việt Nam", "2018-01-01", "2018-12-31", "extracted"],
        ["r5", "a3", "edocs_count", "Hà Nội", "2018-01-01", "2018-12-31", "rejected"],
    ])
    _write_csv(p.sources_csv, ["article_id", "title"], [["a1", "Cà Mau"], ["a2", "Bắc Giang"], ["a3", "Cả nước"]])
    for table in COMPARISON_TABLES:
        _write_csv(p.comparison_csv(table), ["province", "indicator_id", "value"], [])
    _write_csv(p.comparison_csv("rankings"), RANK_HEADER, [
        ["budget_savings_vnd", "Bắc Giang", "1"], ["budget_savings_vnd", "Cà Mau", "2"], ["edocs_count", "Bắc Giang", "1"],
    ])
    return p


def test_slugs_are_the_ascii_names_of_the_gazetteer():
    with open(REPO / "data" / "external" / "provinces.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    slugs = {slugify(r["name"]) for r in rows}
    assert len(slugs) == len(rows) == 63
    for r in rows:
        assert slugify(r["name"]) == "-".join(r["name_ascii"].lower().replace("-", " ").split())
    assert slugify("Bắc Giang") == "bac-giang"
    assert slugify("Bà Rịa - Vũng Tàu") == "ba-ria-vung-tau"
    assert slugify("Đắk Lắk") == "dak-lak"


def test_tables_are_those_run_compare_writes_and_reports_read():
    from egov_analysis.compare.run import WRITTEN
    from egov_analysis.report.data import TABLES

    assert tuple(WRITTEN) == COMPARISON_TABLES
    assert tuple(TABLES) == REPORT_TABLES


def test_provinces_to_report_exclude_national_and_rejected_only(tiny):
    data = DataIndex.load(tiny)
    assert data.provinces == ["Bắc Giang", "Cà Mau"]
    assert data.periods["Bắc Giang"] == ("2014-01-01", "2015-12-31")


def test_a_province_slice_changes_only_with_what_that_report_reads(tiny):
    before = DataIndex.load(tiny)
    # A new Bắc Giang figure in a table Cà Mau is not ranked in: only Bắc Giang changes.
    _write_csv(tiny.comparison_csv("rankings"), RANK_HEADER, [
        ["budget_savings_vnd", "Bắc Giang", "1"], ["budget_savings_vnd", "Cà Mau", "2"],
        ["edocs_count", "Bắc Giang", "1"], ["edocs_count", "Hà Nội", "2"],
    ])
    after = DataIndex.load(tiny)
    assert after.slices["Bắc Giang"] != before.slices["Bắc Giang"]
    assert after.slices["Cà Mau"] == before.slices["Cà Mau"]
    assert after.overview != before.overview
    # A new ranking row in an indicator both are ranked in: both change (their positions may).
    _write_csv(tiny.comparison_csv("rankings"), RANK_HEADER, [
        ["budget_savings_vnd", "Bắc Giang", "1"], ["budget_savings_vnd", "Cà Mau", "3"], ["budget_savings_vnd", "Hà Nội", "2"],
        ["edocs_count", "Bắc Giang", "1"], ["edocs_count", "Hà Nội", "2"],
    ])
    third = DataIndex.load(tiny)
    assert third.slices["Bắc Giang"] != after.slices["Bắc Giang"]
    assert third.slices["Cà Mau"] != after.slices["Cà Mau"]


def _specs(p: config.Paths, notebooks: Path, **kw):
    return report_specs(p, DataIndex.load(p), provinces=None, langs=("vi", "en"), notebooks_dir=notebooks,
                        code="c" * 64, templates="t" * 64, **kw)


@pytest.fixture
def notebooks(tmp_path) -> Path:
    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "province-report.ipynb").write_text("{}")
    (folder / "overview-report.ipynb").write_text("{}")
    return folder


def test_reports_are_every_province_and_the_overview_per_language(tiny, notebooks):
    specs = _specs(tiny, notebooks)
    assert [s.id for s in specs] == ["vi/overview", "vi/bac-giang", "vi/ca-mau", "en/overview", "en/bac-giang", "en/ca-mau"]
    bg = specs[1]
    assert bg.title == "Bắc Giang — báo cáo ứng dụng CNTT"
    assert specs[4].title == "Bắc Giang — e-government report"
    assert bg.parameters == {"province": "Bắc Giang", "lang": "vi", "period_start": None, "period_end": None}
    assert dict((k, v) for k, v in bg.meta)["Kỳ"] == "tất cả các kỳ (2014-01-01 – 2015-12-31)"
    assert bg.notebook_parameters(tiny)["root"] == str(tiny.root)


def test_plan_names_why_a_report_is_stale(tiny, notebooks):
    spec = _specs(tiny, notebooks)[1]
    assert plan_report(tiny, spec, None, ("html", "pdf"), force=False).reasons == ["new report"]
    for fmt in ("html", "pdf"):
        published_path(tiny, spec, fmt).parent.mkdir(parents=True, exist_ok=True)
        published_path(tiny, spec, fmt).write_text(fmt)
    from egov_analysis.build.hashing import file_sha256

    entry = {"status": "ok", "key": spec.key, "published": {
        fmt: {"key": spec.key, "inputs": spec.inputs, "sha256": file_sha256(published_path(tiny, spec, fmt))} for fmt in ("html", "pdf")}}
    assert plan_report(tiny, spec, entry, ("html", "pdf"), force=False) is None
    assert plan_report(tiny, spec, entry, ("html", "pdf"), force=True).reasons == ["--force"]

    old = {**spec.inputs, "data": "0" * 64, "notebook": "1" * 64}
    entry["published"]["html"].update(key="old", inputs=old)
    work = plan_report(tiny, spec, entry, ("html", "pdf"), force=False)
    assert work.formats == ("html",) and work.reasons == ["data changed", "notebook changed"]

    # Only the PDF is missing and the HTML is current: print it from the HTML, no kernel.
    entry["published"]["html"].update(key=spec.key, inputs=spec.inputs)
    published_path(tiny, spec, "pdf").unlink()
    work = plan_report(tiny, spec, entry, ("html", "pdf"), force=False)
    assert work.formats == ("pdf",) and work.reasons == ["pdf missing"]
    assert work.reuse_html == published_path(tiny, spec, "html")


def test_index_is_escaped_bilingual_and_links_relatively():
    manifest = {"reports": {
        "vi/x": {"kind": "province", "name": "X", "lang": "vi", "title": "<script>alert(1)</script>", "status": "failed",
                 "error": {"cell_index": 3, "ename": "KeyError", "evalue": "'<b>'"},
                 "published": {"html": {"path": "vi/x.html", "generated": "2025-01-01T00:00:00Z"},
                               "pdf": {"path": "vi/x.pdf", "generated": "2025-01-01T00:00:00Z"}}},
        "en/overview": {"kind": "overview", "name": "overview", "lang": "en", "title": "Viet Nam — overview", "status": "ok",
                        "published": {"html": {"path": "en/overview.html", "generated": "2025-01-02T00:00:00Z"}}},
    }}
    page = render_index(manifest, updated="2025-01-02T00:00:00Z")
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;" in page
    assert 'href="vi/x.html"' in page and 'href="vi/x.pdf"' in page and 'href="en/overview.html"' in page
    assert "Tiếng Việt" in page and "English" in page and "Trạng thái / Status" in page
    assert "cell 3: KeyError" in page
    assert "http" not in page.replace('href="manifest.json"', "")


def test_bad_lang_or_format_is_a_usage_error(tmp_path):
    p = config.paths(tmp_path)
    for args in (["--lang", "fr"], ["--format", "docx"], ["--lang", ","]):
        result = egov_build(p, *args)
        assert result.exit_code == 2, result.output
    assert not (tmp_path / "reports").exists()


def test_a_data_stage_is_stale_when_an_input_its_outputs_or_the_code_change(tmp_path):
    from egov_analysis.build.hashing import file_sha256, rel
    from egov_analysis.build.stages import STAGES, check

    p = config.paths(tmp_path)
    p.articles.mkdir(parents=True)
    (p.articles / "a.txt").write_text("bài một", encoding="utf-8")
    p.sources_csv.write_text("article_id\na\n", encoding="utf-8")
    clean = STAGES[0]

    def reasons(code="c1", mode="package"):
        return check(clean, p, state, mode=mode, notebooks_dir=tmp_path, code=code, force=False).reasons

    state = {"stages": {}}
    assert reasons() == ["no record of a previous run"]
    for f in clean.outputs(p):  # as if it had run
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("output")
    inputs = check(clean, p, state, mode="package", notebooks_dir=tmp_path, code="c1", force=False).inputs
    state["stages"]["clean"] = {"inputs": inputs, "outputs": {rel(f, p.root): file_sha256(f) for f in clean.outputs(p)}}
    assert reasons() == []
    assert reasons(code="c2") == ["package code changed"]
    assert reasons(mode="notebooks") == ["stage notebook not run before"]
    (p.articles / "b.txt").write_text("bài hai", encoding="utf-8")
    assert reasons() == ["data/raw/articles/b.txt added"]
    (p.articles / "b.txt").unlink()
    p.articles_parquet.write_text("edited by hand")
    assert reasons() == ["data/processed/articles.parquet changed since it was written"]
