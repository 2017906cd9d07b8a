"""The pool of worker processes that render reports, seen from the main process.

Workers are *spawned* (a fresh interpreter each: papermill changes the process working
directory, and forking a process with pyarrow/zmq threads can deadlock). Each worker renders
one report at a time (:func:`.worker.render_report`); a worker that dies turns its report into
a failure, never the build into a crash. Ctrl-C or SIGTERM terminates the workers at once.
"""

from __future__ import annotations

from pathlib import Path

from .. import config
from .plan import Work
from .progress import BuildLog
from .publish import utc_now


def task_for(p: config.Paths, work: Work, staging: Path, *, timeout: int | None, kernel_name: str | None, notebooks_dir: Path) -> dict:
    """The picklable description of one report for :func:`.worker.render_report`."""
    spec = work.spec
    return {
        "id": spec.id, "notebook": str(spec.notebook), "parameters": spec.notebook_parameters(p),
        "staging": str(staging / spec.lang), "slug": spec.slug, "formats": work.formats,
        "reuse_html": str(work.reuse_html) if work.reuse_html else None, "title": spec.title,
        "meta": spec.meta, "lang": spec.lang, "footer_label": spec.footer_label, "page_word": spec.page_word,
        "timeout": timeout, "kernel_name": kernel_name, "cwd": str(notebooks_dir),
    }


def run_pool(tasks: list[dict], works: list[Work], jobs: int, log: BuildLog):
    """Yield (work, result) as reports finish, in spawned worker processes."""
    import multiprocessing as mp
    import queue
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from .worker import init_worker, render_report

    ctx = mp.get_context("spawn")  # never fork: a fresh interpreter per worker, no inherited state
    events = ctx.Queue()
    log.start_bar(len(tasks))
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=init_worker, initargs=(events,))
    try:
        futures = {pool.submit(render_report, task): work for task, work in zip(tasks, works)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            while True:
                try:
                    kind, report_id, _pid = events.get_nowait()
                except (queue.Empty, OSError, ValueError):
                    break
                if kind == "start":
                    log.started(report_id)
            for future in done:
                work = futures[future]
                try:
                    res = future.result()
                except Exception as exc:  # the worker process died (BrokenProcessPool) or could not unpickle
                    res = crashed(work, exc)
                yield work, res
    except BaseException:  # Ctrl-C / SIGTERM: stop now; a report half-rendered is not published
        for future in futures:
            future.cancel()
        # Python 3.11's executor cannot terminate its workers; their kernels notice (JPY_PARENT_PID).
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        events.close()
        events.join_thread()


def crashed(work: Work, exc: BaseException) -> dict:
    now = utc_now()
    return {
        "id": work.spec.id, "status": "failed", "started": now, "finished": now, "generated": now,
        "duration_s": 0.0, "files": {},
        "error": {"step": "worker", "ename": type(exc).__name__, "message": f"the worker process failed: {exc}"},
    }
