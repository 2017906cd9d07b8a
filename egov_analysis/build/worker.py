"""The worker-process side of a build: render one report into the staging folder.

Each worker is a separate process (papermill changes the process working directory, so
threads cannot share one). Every report gets a fresh kernel; PDFs are printed with ONE
headless Chromium per worker, started on the first PDF and reused for the worker's next
reports. Nothing here publishes: the main process moves finished files into place.
"""

from __future__ import annotations

import os
import signal
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

_printer = None
_events = None


def init_worker(events) -> None:
    """Pool initializer. Ctrl-C is the main process's business: it stops the pool."""
    global _events
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _events = events


def _get_printer():
    global _printer
    if _printer is None:
        from multiprocessing import util

        from ..render.pdf import PdfPrinter

        printer = PdfPrinter()
        printer.__enter__()  # raises RenderError if Chromium cannot start; retried on the next report
        _printer = printer
        # Pool workers leave through os._exit, which skips atexit; multiprocessing finalizers run.
        util.Finalize(None, _close_printer, exitpriority=10)
    return _printer


def _close_printer() -> None:
    global _printer
    if _printer is not None:
        printer, _printer = _printer, None
        printer.close()


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def render_report(task: dict) -> dict:
    """Execute, export and print one report into ``task["staging"]``; never raises.

    ``task`` keys: id, notebook, parameters, staging (folder), slug, formats, reuse_html,
    title, meta ([label, value]; value None = the generated time), lang, footer_label,
    page_word, timeout, kernel_name, cwd.
    Returns {id, status, started, finished, duration_s, generated, files, error}.
    """
    if _events is not None:
        _events.put(("start", task["id"], os.getpid()))
    t0 = time.monotonic()
    started = utc_now()
    staging = Path(task["staging"])
    staging.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    ipynb = staging / f"{task['slug']}.ipynb"
    timings: dict[str, float] = {}
    result = {"id": task["id"], "status": "ok", "started": started, "generated": started, "files": files,
              "error": None, "worker": os.getpid(), "timings": timings}
    step = "execute"
    mark = time.monotonic()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.monotonic()
        timings[name] = round(now - mark, 3)
        mark = now

    try:
        if task.get("reuse_html"):
            step = "read html"
            html = Path(task["reuse_html"]).read_text(encoding="utf-8")
        else:
            from ..render import execute_notebook, export_html
            from ..render.execute import KERNEL_NAME

            execute_notebook(
                task["notebook"], ipynb, task["parameters"], timeout=task["timeout"],
                kernel_name=task.get("kernel_name") or KERNEL_NAME, cwd=task.get("cwd"),
            )
            files["ipynb"] = str(ipynb)
            lap("execute")
            step = "html"
            meta = {label: (started if value is None else value) for label, value in task["meta"]}
            html = export_html(ipynb, title=task["title"], meta=meta, lang=task["lang"])
            if "html" in task["formats"]:
                out = staging / f"{task['slug']}.html"
                out.write_text(html, encoding="utf-8")
                files["html"] = str(out)
            lap("html")
        if "pdf" in task["formats"]:
            step = "pdf"
            out = staging / f"{task['slug']}.pdf"
            _get_printer().print_pdf(html, out, footer_label=task["footer_label"], page_word=task["page_word"])
            files["pdf"] = str(out)
            lap("pdf")
    except Exception as exc:  # one report's failure must never stop the others
        from ..errors import RenderError

        if ipynb.exists():
            files["ipynb"] = str(ipynb)
        result["status"] = "failed"
        error = {"step": step, "message": str(exc), "ename": type(exc).__name__}
        if isinstance(exc, RenderError):
            for attr in ("cell_index", "cell_line", "ename", "evalue"):
                if getattr(exc, attr, None) is not None:
                    error[attr] = getattr(exc, attr) if attr != "evalue" else str(exc.evalue)
        else:
            error["traceback"] = traceback.format_exc()
        result["error"] = error
    result["finished"] = utc_now()
    result["duration_s"] = round(time.monotonic() - t0, 3)
    return result
