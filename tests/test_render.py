"""Rendering: papermill execution, offline HTML export, PDF printing with the system Chromium.

Fixture notebooks are built in tmp directories with nbformat. Tests marked ``slow`` start a
Jupyter kernel or a browser; they still run by default.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from egov_analysis.errors import RenderError
from egov_analysis.render import (
    KERNEL_NAME,
    PdfPrinter,
    execute_notebook,
    export_html,
    find_network_references,
)
from egov_analysis.render.pdf import DEFAULT_CHROMIUM

PROVINCE = "Bắc Giang"
HARD_LETTERS = "ắ ầ ẵ ế ồ ở ử ỷ"  # missing from DejaVu Sans Mono
EVIL = "<script>alert(1)</script>"


# -- fixture notebooks -------------------------------------------------------------------

def _notebook(*sources: str, parameters: str | None = 'province = "Hà Nội"') -> nbformat.NotebookNode:
    cells = []
    if parameters is not None:
        cells.append(new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    cells += [new_code_cell(src) for src in sources]
    return new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"},
            "language_info": {"name": "python"},
        },
    )


REPORT_CELLS = (
    f'print(province)\nprint("{HARD_LETTERS}")',
    "from IPython.display import Markdown, HTML, display\n"
    'display(Markdown(f"## Tổng quan {province}"))\n'
    'display(Markdown("### Chi tiết & số liệu"))',
    "import matplotlib.pyplot as plt\n"
    "fig, ax = plt.subplots(figsize=(6, 3))\n"
    'ax.bar(["Bắc Giang", "Hà Nội", "Đà Nẵng"], [3, 5, 4])\n'
    'ax.set_title(f"Hồ sơ trực tuyến — {province}")\n'
    "plt.show()",
    "import pandas as pd\n"
    'cols = [f"Chỉ tiêu số {i} (tỷ đồng)" for i in range(14)]\n'
    'rows = ["Bắc Giang", "Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Thừa Thiên Huế"]\n'
    "pd.DataFrame([[1234567.89 * (i + 1) * (j + 1) for j in range(14)] for i in range(5)],\n"
    "             columns=cols, index=rows)",
    "HTML('<figure><svg width=\"200\" height=\"40\"><rect width=\"200\" height=\"40\" "
    "fill=\"#4a7\"/></svg><figcaption>Hình 1. Tỷ lệ hồ sơ ở Bắc Giang</figcaption></figure>')",
    # Long enough to need a second page, so page numbering is tested as "n / N" with N > 1.
    'display(Markdown("## Phụ lục"))\n'
    'print("\\n".join(f"Dòng {i}: {province}" for i in range(90)))',
)


def _write(nb: nbformat.NotebookNode, path: Path) -> Path:
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="session")
def kernel() -> str:
    """The project kernel, registered into this environment if the set-up has not done it."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        subprocess.run(
            [sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL_NAME],
            check=True,
            capture_output=True,
        )
    return KERNEL_NAME


@pytest.fixture(scope="module")
def executed(kernel, tmp_path_factory):
    """(notebook node, output path) of the report fixture run with province=Bắc Giang."""
    root = tmp_path_factory.mktemp("executed")
    src = _write(_notebook(*REPORT_CELLS), root / "report.ipynb")
    out = root / "out" / "bac-giang.ipynb"
    nb = execute_notebook(src, out, {"province": PROVINCE})
    return nb, out


@pytest.fixture(scope="module")
def report_html(executed) -> str:
    nb, _ = executed
    return export_html(
        nb,
        title=f"Báo cáo chính phủ điện tử — {PROVINCE}",
        meta={"Tỉnh": PROVINCE, "Kỳ": "2024", "Ghi chú": EVIL},
    )


@pytest.fixture(scope="module")
def report_pdf(report_html, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "bac-giang.pdf"
    with PdfPrinter() as printer:
        printer.print_pdf(report_html, out, footer_label=PROVINCE)
    return out


@pytest.fixture
def browser():
    """A bare headless Chromium for inspecting pages (not shared: Playwright's sync API
    allows one session per thread, and PdfPrinter opens its own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=DEFAULT_CHROMIUM)
        yield b
        b.close()


def _open(browser, html_path: Path, *, width: int = 1000):
    """Open a file in a fresh page, recording every request and every JS error."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = {"requests": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(html_path.as_uri(), wait_until="networkidle")
    return page, seen


# -- execute -------------------------------------------------------------------------------

@pytest.mark.slow
def test_execute_injects_parameters_and_runs_every_cell(executed):
    nb, out = executed
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert "province" in injected[0].source
    printed = "".join(o.get("text", "") for o in nb.cells[2].outputs)
    assert printed.splitlines() == [PROVINCE, HARD_LETTERS]
    assert out.is_file()
    assert nbformat.read(str(out), as_version=4).metadata.papermill.parameters == {"province": PROVINCE}


@pytest.mark.slow
def test_every_execution_gets_a_fresh_kernel(kernel, tmp_path):
    src = _write(_notebook('print("leak" in globals())\nleak = 1'), tmp_path / "leak.ipynb")
    for run in ("first", "second"):
        nb = execute_notebook(src, tmp_path / f"{run}.ipynb", {})
        assert nb.cells[-1].outputs[0].text.strip() == "False"


def test_kernels_are_not_interrupted_at_shutdown(tmp_path, monkeypatch):
    """jupyter_client interrupts a kernel before shutting it down; an idle ipykernel then logs
    "ERROR | KeyboardInterrupt caught in kernel" (on its stderr, the build's) now and then. Our
    manager skips that interrupt; a run's own interrupts still go through."""
    import asyncio

    import papermill

    from egov_analysis.render import execute
    from traitlets.utils.importstring import import_item

    seen = {}
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **kw: seen.update(kw))
    execute.execute_notebook(_write(_notebook("x = 1"), tmp_path / "q.ipynb"), tmp_path / "out.ipynb", {})
    manager = import_item(seen["kernel_manager_class"])
    assert manager is execute.QuietShutdownKernelManager

    km = manager()
    signals = []

    async def record(sig):
        signals.append(sig)

    km._async_signal_kernel = record
    km.shutting_down = True
    asyncio.run(km._async_interrupt_kernel())
    assert signals == []
    km.shutting_down = False
    with pytest.raises(RuntimeError, match="No kernel is running"):  # jupyter_client's own interrupt
        asyncio.run(km._async_interrupt_kernel())


@pytest.mark.slow
def test_notebook_runs_in_the_given_working_directory(kernel, tmp_path):
    workdir = tmp_path / "thư mục"
    workdir.mkdir()
    src = _write(_notebook("import os\nprint(os.getcwd())"), tmp_path / "cwd.ipynb")
    nb = execute_notebook(src, tmp_path / "out" / "cwd.ipynb", {}, cwd=workdir)
    assert nb.cells[-1].outputs[0].text.strip() == str(workdir)
    assert Path.cwd() != workdir


@pytest.mark.slow
def test_failing_cell_raises_render_error_naming_cell_and_keeps_notebook(kernel, tmp_path):
    src = _write(
        _notebook("x = 1", 'raise ValueError("không có dữ liệu cho tỉnh")\ny = 2'),
        tmp_path / "broken.ipynb",
    )
    out = tmp_path / "broken-out.ipynb"
    with pytest.raises(RenderError) as info:
        execute_notebook(src, out, {"province": PROVINCE})
    err = info.value
    assert err.where == str(src)
    assert "cell 3" in err.message  # parameters, injected parameters, x = 1, then this one
    assert 'raise ValueError("không có dữ liệu cho tỉnh")' in err.message
    assert "ValueError: không có dữ liệu cho tỉnh" in err.message
    assert (err.cell_index, err.ename) == (3, "ValueError")
    kept = nbformat.read(str(out), as_version=4)
    assert "papermill-error-cell-tag" in kept.cells[0].metadata.get("tags", [])
    errors = [o for c in kept.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert [e.ename for e in errors] == ["ValueError"]


@pytest.mark.slow
def test_cell_timeout_raises_render_error_and_keeps_notebook(kernel, tmp_path):
    src = _write(_notebook("import time\ntime.sleep(60)", "print('never')"), tmp_path / "slow.ipynb")
    out = tmp_path / "slow-out.ipynb"
    started = time.monotonic()
    with pytest.raises(RenderError) as info:
        execute_notebook(src, out, {}, timeout=2)
    assert time.monotonic() - started < 30
    err = info.value
    assert err.ename == "CellTimeoutError"
    assert "import time" in err.message and "2 s" in err.message
    kept = nbformat.read(str(out), as_version=4)
    assert "papermill-error-cell-tag" in kept.cells[0].metadata.get("tags", [])


@pytest.mark.slow
def test_dead_kernel_raises_the_same_kind_of_render_error(kernel, tmp_path):
    src = _write(_notebook("import os\nos._exit(1)"), tmp_path / "dies.ipynb")
    out = tmp_path / "dies-out.ipynb"
    with pytest.raises(RenderError) as info:
        execute_notebook(src, out, {})
    err = info.value
    assert err.ename == "DeadKernelError"
    assert "import os" in err.message
    assert "papermill-error-cell-tag" in nbformat.read(str(out), as_version=4).cells[0].metadata.get("tags", [])


@pytest.mark.slow
def test_unregistered_kernel_raises_render_error_with_install_command(tmp_path):
    src = _write(_notebook("x = 1"), tmp_path / "nb.ipynb")
    with pytest.raises(RenderError) as info:
        execute_notebook(src, tmp_path / "out.ipynb", {}, kernel_name="no-such-kernel-xyz")
    assert "ipykernel install --sys-prefix --name no-such-kernel-xyz" in info.value.fix


def test_missing_notebook_raises_render_error(tmp_path):
    with pytest.raises(RenderError) as info:
        execute_notebook(tmp_path / "nope.ipynb", tmp_path / "out.ipynb", {})
    assert info.value.where == str(tmp_path / "nope.ipynb")


# -- HTML ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_html_has_no_src_or_href_to_http(report_html):
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", report_html, re.I)
    assert find_network_references(report_html) == []


@pytest.mark.slow
def test_html_opened_in_chromium_requests_only_itself_and_logs_no_js_error(report_html, browser, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(report_html, encoding="utf-8")
    page, seen = _open(browser, path)
    assert [u for u in seen["requests"] if not u.startswith("data:")] == [path.as_uri()]
    assert seen["errors"] == []
    page.close()


@pytest.mark.slow
def test_html_uses_a_monospace_font_with_every_vietnamese_letter(report_html, browser, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(report_html, encoding="utf-8")
    page, _ = _open(browser, path)
    family = page.evaluate("getComputedStyle(document.querySelector('.jp-OutputArea-output pre')).fontFamily")
    assert family.startswith('"Noto Sans Mono"')
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.close()


@pytest.mark.slow
def test_toc_links_every_h2_and_h3_heading(report_html):
    toc = re.search(r'<nav class="egov-toc".*?</nav>', report_html, re.S).group(0)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    assert [text for _, text in links] == [f"Tổng quan {PROVINCE}", "Chi tiết &amp; số liệu", "Phụ lục"]
    for anchor, _ in links:
        assert f'id="{anchor}"' in report_html


@pytest.mark.slow
def test_toc_links_navigate_to_their_headings(report_html, browser, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(report_html, encoding="utf-8")
    page, _ = _open(browser, path)
    for link in page.locator("nav.egov-toc a").all():
        link.click()
        target = page.evaluate("document.querySelector(':target').textContent")
        assert target.strip().rstrip("¶") == link.inner_text()
    page.close()


@pytest.mark.slow
def test_title_block_shows_meta_values_as_text(report_html, browser, tmp_path):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report_html
    path = tmp_path / "report.html"
    path.write_text(report_html, encoding="utf-8")
    page, _ = _open(browser, path)
    assert page.locator(".egov-title-block script").count() == 0
    assert EVIL in page.locator(".egov-meta dd").all_inner_texts()
    assert page.locator("h1.egov-title").inner_text() == f"Báo cáo chính phủ điện tử — {PROVINCE}"
    page.close()


@pytest.mark.slow
def test_figure_captions_stay_as_emitted(report_html):
    assert re.search(r"<figure>.*?<figcaption>Hình 1\. Tỷ lệ hồ sơ ở Bắc Giang</figcaption></figure>", report_html, re.S)


@pytest.mark.slow
def test_wide_table_fits_the_printed_page(report_html, browser, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(report_html, encoding="utf-8")
    page, _ = _open(browser, path, width=703)  # A4 width minus the 12 mm side margins
    page.emulate_media(media="print")
    overflow = page.evaluate(
        "[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right"
        " - document.documentElement.clientWidth)"
    )
    assert overflow and max(overflow) <= 0
    page.close()


def test_remote_resource_in_notebook_is_rejected():
    nb = new_notebook(cells=[new_markdown_cell('<img src="https://example.com/logo.png">')])
    with pytest.raises(RenderError) as info:
        export_html(nb, title="t", meta={})
    assert "https://example.com/logo.png" in info.value.message


def test_links_to_sources_are_not_network_loads():
    nb = new_notebook(cells=[new_markdown_cell("[Báo Bắc Giang](https://baobacgiang.vn/a.html)")])
    page = export_html(nb, title="t", meta={})
    assert 'href="https://baobacgiang.vn/a.html"' in page


def test_local_markdown_images_are_embedded(tmp_path):
    import base64

    pixel = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    (tmp_path / "logo.png").write_bytes(pixel)
    path = _write(new_notebook(cells=[new_markdown_cell("![logo](logo.png)")]), tmp_path / "nb.ipynb")
    page = export_html(path, title="t", meta={})
    assert 'src="data:image/png;base64,' in page and 'src="logo.png"' not in page


def test_headings_without_ids_get_unique_anchors():
    out = [new_output("display_data", data={"text/html": "<h2>Kết quả</h2><h2>Kết quả</h2>"})]
    nb = new_notebook(cells=[new_code_cell("x", outputs=out)])
    page = export_html(nb, title="t", meta={})
    assert 'id="ket-qua"' in page and 'id="ket-qua-2"' in page


def test_export_reads_a_notebook_path_and_does_not_change_the_node(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("## Mở đầu")])
    path = _write(nb, tmp_path / "nb.ipynb")
    assert "Mở đầu" in export_html(path, title="Tiêu đề", meta={"Tỉnh": PROVINCE})
    export_html(nb, title="Tiêu đề", meta={})
    assert "title" not in nb.metadata


# -- PDF -----------------------------------------------------------------------------------

def _pdf_text(path: Path) -> tuple[list[str], int]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [unicodedata.normalize("NFC", p.extract_text()) for p in reader.pages], len(reader.pages)


@pytest.mark.slow
def test_pdf_text_keeps_vietnamese_and_numbers_pages(report_pdf):
    pages, total = _pdf_text(report_pdf)
    assert total >= 2
    assert PROVINCE in pages[0]
    assert HARD_LETTERS in pages[0]
    for number, text in enumerate(pages, start=1):
        assert f"{PROVINCE} — trang {number} / {total}" in text


@pytest.mark.slow
def test_pdf_is_written_atomically(report_pdf):
    assert report_pdf.read_bytes().startswith(b"%PDF")
    assert [p.name for p in report_pdf.parent.iterdir()] == [report_pdf.name]
    umask = os.umask(0o022)
    os.umask(umask)
    assert report_pdf.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.slow
def test_one_printer_prints_many_reports(tmp_path):
    with PdfPrinter() as printer:
        for name in ("a", "b", "c"):
            printer.print_pdf(f"<h2>{name} — Đắk Lắk</h2>", tmp_path / f"{name}.pdf")
    for name in ("a", "b", "c"):
        assert "Đắk Lắk" in _pdf_text(tmp_path / f"{name}.pdf")[0][0]


def test_missing_chromium_raises_render_error(tmp_path):
    missing = tmp_path / "no-chromium"
    with pytest.raises(RenderError) as info:
        with PdfPrinter(missing):
            pass
    assert info.value.where == str(missing)
    assert "apt-get install" in info.value.fix and "EGOV_CHROMIUM" in info.value.fix


def test_chromium_path_comes_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("EGOV_CHROMIUM", str(tmp_path / "from-env"))
    with pytest.raises(RenderError) as info:
        PdfPrinter().__enter__()
    assert info.value.where == str(tmp_path / "from-env")


@pytest.mark.slow
def test_chromium_that_will_not_start_raises_render_error(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'broken install' >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(RenderError) as info:
        with PdfPrinter(fake, timeout_ms=20_000):
            pass
    assert "failed to start" in info.value.message
    assert info.value.where == str(fake)


def test_printing_outside_the_context_raises_render_error(tmp_path):
    with pytest.raises(RenderError) as info:
        PdfPrinter().print_pdf("<p>x</p>", tmp_path / "x.pdf")
    assert "with PdfPrinter()" in info.value.fix
    assert not os.path.exists(tmp_path / "x.pdf")
