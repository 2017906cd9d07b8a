"""HTML report -> A4 PDF with the system Chromium, driven by Playwright.

One browser is launched per batch and reused; every report gets its own page. Playwright's
own browser download is never used (``playwright install`` needs the internet): we point it
at Debian's ``chromium``.
"""

from __future__ import annotations

import html
import os
import uuid
from pathlib import Path

from egov_analysis.errors import RenderError

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ENV = "EGOV_CHROMIUM"

# Flags measured in TOOLCHAIN.md; Playwright adds --no-sandbox itself (chromium_sandbox=False).
CHROMIUM_ARGS = (
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--mute-audio",
)

# Must match @page in templates/report_offline/report.css; the footer lives in the bottom margin.
MARGINS = {"top": "14mm", "right": "12mm", "bottom": "16mm", "left": "12mm"}

# The footer is rendered in its own tiny document: it inherits no CSS, so name the fonts
# (DejaVu Sans has every Vietnamese letter) and the size explicitly.
_FOOTER = (
    '<div style="box-sizing:border-box;width:100%;padding:0 12mm;font-family:\'DejaVu Sans\',\'Noto Sans\',sans-serif;'
    'font-size:8px;color:#555;text-align:right;">'
    '{label}{page_word} <span class="pageNumber"></span> / <span class="totalPages"></span>'
    "</div>"
)
_INSTALL_FIX = (
    "install it with `apt-get install --no-install-recommends chromium` or set {env} to the "
    "path of a Chromium/Chrome executable (do not run `playwright install`: it needs the internet)"
)


class PdfPrinter:
    """Prints HTML reports to PDF with one headless Chromium, reused for many reports.

    Example::

        with PdfPrinter() as printer:
            for province, page in pages.items():
                printer.print_pdf(page, f"reports/{province}.pdf", footer_label=province)

    The executable is ``executable_path``, else ``$EGOV_CHROMIUM``, else /usr/bin/chromium.
    Playwright's sync API is tied to the thread that entered the context: use one printer
    per thread or process, and not inside a running asyncio loop (e.g. a notebook).
    """

    def __init__(
        self,
        executable_path: str | os.PathLike | None = None,
        *,
        args: tuple[str, ...] = CHROMIUM_ARGS,
        timeout_ms: int = 60_000,
    ):
        self.executable_path = str(
            executable_path or os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
        )
        self.args = list(args)
        self.timeout_ms = timeout_ms
        self._playwright = None
        self._browser = None

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> "PdfPrinter":
        self._start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Close the browser and stop Playwright's driver. Safe to call twice."""
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        try:
            if browser is not None:
                browser.close()
        except Exception:  # the browser may already be gone; stopping the driver still matters
            pass
        finally:
            if playwright is not None:
                playwright.stop()

    def _start(self) -> None:
        exe = Path(self.executable_path)
        fix = _INSTALL_FIX.format(env=CHROMIUM_ENV)
        if not exe.is_file() or not os.access(exe, os.X_OK):
            raise RenderError(
                "Chromium executable not found (or not executable)", where=exe, fix=fix
            )
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        try:
            self._playwright = sync_playwright().start()
        except PlaywrightError as exc:  # e.g. called inside a running asyncio loop
            raise RenderError(
                f"could not start Playwright: {_first_line(exc)}",
                where=exe,
                fix="call PdfPrinter from plain synchronous code: not inside an asyncio loop "
                "(e.g. a notebook) and not while another Playwright sync session is open in "
                "the same thread",
            ) from exc
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=str(exe), args=self.args, headless=True, timeout=self.timeout_ms
            )
        except Exception as exc:
            self.close()
            raise RenderError(
                f"Chromium failed to start: {_first_line(exc)}", where=exe, fix=fix
            ) from exc

    # -- printing ----------------------------------------------------------------------
    def print_pdf(
        self,
        html_text: str,
        out_path: str | os.PathLike,
        *,
        footer_label: str = "",
        page_word: str = "trang",
    ) -> None:
        """Print one HTML report to ``out_path`` (A4, backgrounds, footer "label — trang X / Y").

        The PDF is written to a temporary file next to ``out_path`` and moved into place, so
        a reader never sees a half-written file. ``page_word`` is the word before the page
        number ("trang" for Vietnamese reports, "page" for English).
        """
        if self._browser is None:
            raise RenderError(
                "PdfPrinter is not started",
                where=out_path,
                fix="use it as a context manager: `with PdfPrinter() as printer: ...`",
            )
        if not self._browser.is_connected():  # crashed mid-batch: one relaunch
            self.close()
            self._start()
        from playwright.sync_api import Error as PlaywrightError

        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        label = f"{html.escape(footer_label)} — " if footer_label else ""
        footer = _FOOTER.format(label=label, page_word=html.escape(page_word))
        # Not mkstemp: its 0600 mode would survive os.replace and hide the PDF from other
        # users; Playwright creates the file with the usual umask-based mode.
        tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        page = None
        try:
            page = self._browser.new_page()
            page.set_default_timeout(self.timeout_ms)
            page.emulate_media(media="print")
            page.set_content(html_text, wait_until="load")
            page.pdf(
                path=tmp,
                format="A4",
                print_background=True,
                margin=MARGINS,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer,
            )
            os.replace(tmp, out_path)
        except PlaywrightError as exc:
            raise RenderError(
                f"Chromium could not print the report: {_first_line(exc)}",
                where=out_path,
                fix="open the HTML report in a browser to check it loads; if Chromium crashed, "
                "retry the build",
            ) from exc
        finally:
            if page is not None:
                try:
                    page.close()
                except PlaywrightError:
                    pass
            if os.path.exists(tmp):
                os.unlink(tmp)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
