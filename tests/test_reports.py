"""Reports end to end: the notebooks execute on the shipped data; the HTML is offline and
escaped; the PDF carries the province and its figures exactly as extracted.

One module-scoped build of a copy of the project (with one extra article whose text holds a
<script> tag) serves all tests: it is the README's main command on the shipped corpus.
"""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from egov_analysis import config
from egov_analysis.cli import cli
from egov_analysis.render import execute_notebook
from tests.conftest import REPO

pytestmark = pytest.mark.slow

INJECTED = (
    "Đồng Nai: tiết kiệm nhờ văn bản điện tử\n\n"
    "Năm 2018, tỉnh Đồng Nai đã tiết kiệm cho ngân sách 5 tỷ đồng <script>alert('x')</script> nhờ gửi, nhận văn bản điện tử.\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("built")
    for sub in ("data/raw", "data/external", "data/curation", "notebooks"):
        shutil.copytree(REPO / sub, root / sub)
    p = config.paths(root)
    article = root / "dong-nai.txt"
    article.write_text(INJECTED, encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(cli, ["--root", str(root), "add", str(article), "--published", "2019-01-10"], catch_exceptions=False)
    assert added.exit_code == 0, added.output
    result = runner.invoke(cli, ["--root", str(root), "build", "--jobs", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return p


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


PROVINCES = {"bac-giang": "Bắc Giang", "ca-mau": "Cà Mau", "can-tho": "Cần Thơ", "ha-noi": "Hà Nội", "dong-nai": "Đồng Nai"}


def test_every_province_and_the_overview_is_built_in_both_languages(built):
    for lang in ("vi", "en"):
        for slug in [*PROVINCES, "overview"]:
            for ext in ("html", "pdf"):
                assert (built.reports / lang / f"{slug}.{ext}").stat().st_size > 10_000, f"{lang}/{slug}.{ext}"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("slug", sorted(PROVINCES))
def test_pdf_names_the_province_with_diacritics_and_states_its_figures_as_extracted(built, slug, lang):
    text = _norm(_pdf_text(built.reports / lang / f"{slug}.pdf"))
    province = PROVINCES[slug]
    assert province in text
    records = pd.read_csv(built.indicators_csv)
    mine = records[(records["province"] == province) & (records["status"] != "rejected")]
    assert len(mine) > 0
    for value_text in mine["value_text"]:
        assert _norm(value_text) in text, f"{value_text!r} missing from {lang}/{slug}.pdf"


def test_html_reports_load_nothing_from_the_network(built):
    pattern = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
    for page in sorted(built.reports.glob("*/*.html")) + [built.reports / "index.html"]:
        assert not pattern.search(page.read_text(encoding="utf-8")), page


def test_html_report_opened_in_chromium_requests_only_itself_and_logs_no_error(built):
    from playwright.sync_api import sync_playwright

    page_path = built.reports / "vi" / "bac-giang.html"
    requests, errors = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-background-networking", "--no-first-run"])
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(page_path.as_uri(), wait_until="load")
        browser.close()
    assert [u for u in requests if not u.startswith("data:")] == [page_path.as_uri()]
    assert errors == []


def test_injected_script_in_a_quote_shows_as_text(built):
    html = (built.reports / "vi" / "dong-nai.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert(" not in html
    assert "<script>alert(" in _pdf_text(built.reports / "vi" / "dong-nai.pdf")  # printed as text


def test_reports_show_sources_and_assumptions_in_the_reader_language(built):
    vi = _norm(_pdf_text(built.reports / "vi" / "bac-giang.pdf"))
    en = _norm(_pdf_text(built.reports / "en" / "bac-giang.pdf"))
    assert "Nguồn" in vi and "Phương pháp và giả định" in vi and "Mục lục" in vi
    assert "Sources" in en and "Methodology and assumptions" in en
    assert "Riêng 9 tháng đầu năm 2015" in vi  # an exact source quote
    assert "trang 1 /" in vi and "page 1 /" in en.lower()


def test_index_links_every_report_with_its_time(built):
    index = (built.reports / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((built.reports / "manifest.json").read_text(encoding="utf-8"))
    for lang in ("vi", "en"):
        for slug in [*PROVINCES, "overview"]:
            assert f"{lang}/{slug}.html" in index and f"{lang}/{slug}.pdf" in index
    assert manifest


@pytest.mark.parametrize("notebook,params", [
    ("01-clean-articles.ipynb", {}),
    ("02-extract-indicators.ipynb", {}),
    ("03-compare-provinces.ipynb", {}),
    ("province-report.ipynb", {"province": "Cần Thơ", "lang": "en"}),
    ("overview-report.ipynb", {"lang": "vi"}),
])
def test_each_notebook_executes_with_papermill_on_the_shipped_data(built, notebook, params, tmp_path):
    nb = execute_notebook(built.notebooks / notebook, tmp_path / notebook, {**params, "root": str(built.root)}, timeout=300)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []


def test_unknown_province_parameter_is_a_clear_error(built, tmp_path):
    from egov_analysis.errors import RenderError

    with pytest.raises(RenderError) as err:
        execute_notebook(built.notebooks / "province-report.ipynb", tmp_path / "x.ipynb", {"province": "Bac Gang", "root": str(built.root)}, timeout=300)
    assert "Bắc Giang" in str(err.value)  # the suggestion


def test_comparison_notes_and_checks_are_translated_in_vietnamese_reports(built):
    vi = _norm(_pdf_text(built.reports / "vi" / "bac-giang.pdf"))
    en = _norm(_pdf_text(built.reports / "en" / "bac-giang.pdf"))
    assert "nằm trong khoảng 0..100" in vi and "is within 0..100" not in vi
    assert "quy đổi ra 12 tháng" in vi and "scaled to 12 months" not in vi
    assert "is within 0..100" in en


def test_an_approximate_figure_stays_approximate_in_every_derived_number(built):
    vi = _norm(_pdf_text(built.reports / "vi" / "ha-noi.pdf"))
    overview = _norm(_pdf_text(built.reports / "vi" / "overview.pdf"))
    for text in (vi, overview):
        assert "≈ 30,9 tỷ" in text and "≈ 3.541 đồng" in text
    assert "≈ 1.120.000 USD" in vi  # a converted amount to three significant digits


def test_a_province_report_states_only_its_own_assumptions(built):
    bac_giang = _norm(_pdf_text(built.reports / "vi" / "bac-giang.pdf"))
    ha_noi = _norm(_pdf_text(built.reports / "vi" / "ha-noi.pdf"))
    assert "Bắc Giang" in bac_giang.split("Giả định tính toán")[-1]
    assert "Cà Mau (" not in bac_giang.split("Giả định tính toán")[-1] and "250 ngày" not in bac_giang
    assert "250 ngày" in ha_noi.split("Giả định tính toán")[-1]


def test_the_overview_sources_every_figure_it_shows(built):
    vi = _norm(_pdf_text(built.reports / "vi" / "overview.pdf"))
    after = vi.split("Nguồn")[-1]
    assert "tiết kiệm được khoảng 100 triệu đồng" in after  # Hà Nội's quote, behind its savings row


def test_english_reports_name_levels_and_checks_in_english(built):
    en = _norm(_pdf_text(built.reports / "en" / "bac-giang.pdf"))
    assert "district level" in en and "cấp huyện" not in en.split("Sources")[0]
    assert "rate_in_range" not in en and "Share within 0–100%" in en
    assert "World Bank" in en and "Ngân hàng Thế giới" in _norm(_pdf_text(built.reports / "vi" / "bac-giang.pdf"))
