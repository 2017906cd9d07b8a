"""``build()``: data stages, then every stale report, in worker processes, published atomically.

The flow, top-down:

1. take the build lock (waiting, or refusing with ``wait=False``); clear a killed run's leftovers;
2. run the stale data stages (clean -> extract -> compare); a failure stops here (exit 2),
   with data/processed and reports/ as they were;
3. work out every report, its key and whether it is stale (:mod:`.plan`);
4. render the stale ones in N spawned worker processes (fresh kernel per report, one Chromium
   per worker), each into ``reports/_staging/<run-id>/``;
5. as each report finishes, publish it with ``os.replace`` (all its formats, or nothing) or
   keep its failed notebook in ``reports/_failed/``; record it in manifest.json and index.html.

Exit codes: 0 all requested reports are up to date; 1 some reports failed (the others were
published); 2 bad input, parameters or lock (nothing rendered); 3 an unexpected error (a bug);
130 interrupted.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from .. import config
from ..errors import EgovError, InputError, ParameterError
from . import manifest as manifest_mod
from .hashing import code_sha256, rel, templates_sha256
from .lock import BuildLock
from .plan import FORMATS, LANGS, DataIndex, ReportSpec, Work, plan_report, report_specs
from .pool import run_pool, task_for
from .progress import BuildLog
from .publish import mark_withdrawn, record, save, short_error, utc_now, write_index
from .stages import STAGES, check, load_state, run_stage

EXIT_OK = 0
EXIT_REPORTS_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

NOTEBOOKS_ENV = "EGOV_NOTEBOOKS"
STAGE_MODES = ("package", "notebooks")


@dataclass(frozen=True)
class BuildOptions:
    """What ``egov build`` was asked to do (the CLI options, one field each)."""

    provinces: tuple[str, ...] = ()  # any spelling; empty = every province with data + the overview
    langs: tuple[str, ...] = LANGS
    formats: tuple[str, ...] = FORMATS
    jobs: int | None = None  # worker processes; None = every usable core
    force: bool = False
    dry_run: bool = False
    wait: bool = True  # False = exit 2 at once if another build holds the lock
    timeout: int | None = 600  # per notebook cell, seconds
    stages: str = "package"  # "package": call the functions; "notebooks": run the stage notebooks
    notebooks_dir: Path | None = None  # default: $EGOV_NOTEBOOKS, else <root>/notebooks
    kernel_name: str | None = None  # default: the project kernel "egov-analysis"
    period_start: str | None = None  # ISO dates passed to the report notebooks
    period_end: str | None = None


@dataclass
class BuildResult:
    exit_code: int
    stages_run: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    failed: dict[str, dict] = field(default_factory=dict)
    up_to_date: list[str] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)  # dry run: what would happen
    duration_s: float = 0.0


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def build(p: config.Paths, options: BuildOptions = BuildOptions(), log: BuildLog | None = None) -> BuildResult:
    """Bring reports/ up to date with data/raw, the notebooks and the code.

    Raises an :class:`~egov_analysis.errors.EgovError` for bad parameters, a held lock
    (``wait=False``) or a failing data stage (all: exit code 2); report failures do not
    raise, they are in the result (exit code 1).

    Example::

        result = build(config.paths(), BuildOptions(provinces=("bac giang",), langs=("vi",)))
        sys.exit(result.exit_code)
    """
    t0 = time.monotonic()
    options = _checked(options)
    notebooks_dir = _notebooks_dir(p, options)
    provinces = resolve_provinces(p, options.provinces) if options.provinces else None
    if options.dry_run:
        return BuildResult(EXIT_OK, plan=dry_run_plan(p, options, provinces, notebooks_dir), duration_s=time.monotonic() - t0)

    log = log or BuildLog(p.build_log)
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + f"-{os.getpid()}"
    result = BuildResult(EXIT_OK)
    try:
        with _sigterm_as_interrupt(), BuildLock(p, wait=options.wait, log=log, run_id=run_id):
            log.open_file()
            try:
                _clear_staging(p, log)
                result.stages_run = _run_data_stages(p, options, notebooks_dir, log)
                _render_stale(p, options, provinces, notebooks_dir, run_id, log, result)
            except EgovError as exc:
                log.to_file(f"[build] error: {exc}")
                raise
            except KeyboardInterrupt:
                log.line("interrupted: published data and reports are as they were before the unfinished steps")
                raise
            finally:
                log.end_bar()
                shutil.rmtree(p.staging / run_id, ignore_errors=True)
                _remove_if_empty(p.staging)
            result.duration_s = time.monotonic() - t0
            _summary(result, log)
    finally:
        log.close()
    return result


def _checked(options: BuildOptions) -> BuildOptions:
    langs = tuple(dict.fromkeys(options.langs))
    formats = tuple(dict.fromkeys(options.formats))
    for value, allowed, name in ((langs, LANGS, "--lang"), (formats, FORMATS, "--format")):
        bad = [v for v in value if v not in allowed]
        if bad or not value:
            raise ParameterError(f"{', '.join(bad) or 'nothing'} is not one of {', '.join(allowed)}", where=name, fix=f"use a comma-separated subset of {','.join(allowed)}")
    if options.stages not in STAGE_MODES:
        raise ParameterError(f"unknown stage mode {options.stages!r}", where="--stages", fix="use package or notebooks")
    if options.jobs is not None and options.jobs < 1:
        raise ParameterError("--jobs must be at least 1", where="--jobs", fix="pass a positive number of worker processes")
    return replace(options, langs=langs, formats=formats)


def _notebooks_dir(p: config.Paths, options: BuildOptions) -> Path:
    if options.notebooks_dir is not None:
        return Path(options.notebooks_dir).resolve()
    env = os.environ.get(NOTEBOOKS_ENV)
    return Path(env).resolve() if env else p.notebooks


def resolve_provinces(p: config.Paths, names: tuple[str, ...]) -> list[str]:
    """Canonical names for ``--province`` values (any case, with or without diacritics)."""
    from ..gazetteer import NATIONAL, Gazetteer

    gazetteer = Gazetteer.load(p)
    out = []
    for name in names:
        try:
            canonical = gazetteer.resolve(name)
        except ParameterError as exc:  # unknown: the message names the closest provinces
            raise ParameterError(exc.message, where="--province", fix=exc.fix) from None
        if canonical == NATIONAL:
            raise ParameterError(
                f"{name!r} is the whole country, not a province",
                where="--province",
                fix="national figures are in the overview report: build without --province",
            )
        if canonical not in out:
            out.append(canonical)
    return out


# -- data stages -------------------------------------------------------------------------------


def run_data_stages(p: config.Paths, options: BuildOptions = BuildOptions(), log: BuildLog | None = None) -> list[str]:
    """Only the data stages (clean -> extract -> compare) of a build, under the build lock.

    Returns the names of the stages that ran (the others were up to date).
    """
    options = _checked(options)
    log = log or BuildLog(p.build_log)
    with BuildLock(p, wait=options.wait, log=log):
        log.open_file()
        try:
            return _run_data_stages(p, options, _notebooks_dir(p, options), log)
        finally:
            log.close()


def _run_data_stages(p: config.Paths, options: BuildOptions, notebooks_dir: Path, log: BuildLog) -> list[str]:
    state = load_state(p)
    code = code_sha256()
    ran = []
    for stage in STAGES:
        sc = check(stage, p, state, mode=options.stages, notebooks_dir=notebooks_dir, code=code, force=options.force)
        if not sc.stale:
            log.line(f"{stage.name}: up to date")
            continue
        how = "notebook" if options.stages == "notebooks" else "package"
        log.line(f"{stage.name}: running ({how}; {'; '.join(sc.reasons)})")
        try:
            seconds = run_stage(sc, p, state, mode=options.stages, notebooks_dir=notebooks_dir,
                                jobs=options.jobs or default_jobs(), timeout=options.timeout, kernel_name=options.kernel_name)
        except EgovError:
            log.line(f"{stage.name}: failed; data/processed and reports/ left as they were (exit 2)")
            raise
        log.line(f"{stage.name}: done in {seconds:.1f}s")
        ran.append(stage.name)
    return ran


# -- reports -----------------------------------------------------------------------------------


def _plan(p: config.Paths, options: BuildOptions, provinces: list[str] | None, notebooks_dir: Path, manifest: dict):
    data = DataIndex.load(p)
    specs = report_specs(
        p, data, provinces=provinces, langs=options.langs, notebooks_dir=notebooks_dir,
        period=(options.period_start, options.period_end), code=code_sha256(), templates=templates_sha256(),
    )
    works, fresh = [], []
    for spec in specs:
        work = plan_report(p, spec, manifest["reports"].get(spec.id), options.formats, force=options.force)
        (works if work else fresh).append(work or spec)
    return data, specs, works, fresh


def _render_stale(p, options, provinces, notebooks_dir, run_id, log: BuildLog, result: BuildResult) -> None:
    manifest = manifest_mod.load(p)
    data, specs, works, fresh = _plan(p, options, provinces, notebooks_dir, manifest)
    result.up_to_date = [s.id for s in fresh]
    changed = mark_withdrawn(manifest, data.slices, options.langs) if provinces is None else False
    if not works:
        log.line(f"reports: all {len(specs)} up to date")
        if changed:
            save(p, manifest)
        elif not p.reports_index_html.exists() and manifest["reports"]:
            write_index(p, manifest)
        return
    jobs = min(options.jobs or default_jobs(), len(works))
    log.line(f"reports: {len(works)} to render, {len(fresh)} up to date; {jobs} worker(s)")
    for work in works:
        via = " (PDF from the current HTML)" if work.reuse_html else ""
        log.line(f"{work.spec.id}: {', '.join(work.reasons)}{via}")
    staging = p.staging / run_id
    tasks = [task_for(p, w, staging, timeout=options.timeout, kernel_name=options.kernel_name, notebooks_dir=notebooks_dir) for w in works]
    for work, res in run_pool(tasks, works, jobs, log):
        _finish(p, work, res, manifest, log, result)
    manifest["last_run"] = {
        "run_id": run_id, "finished": utc_now(), "stages_run": result.stages_run,
        "rendered": result.rendered, "failed": sorted(result.failed), "up_to_date": len(result.up_to_date),
        "options": {"provinces": provinces, "langs": list(options.langs), "formats": list(options.formats),
                    "jobs": jobs, "force": options.force, "stages": options.stages, "timeout": options.timeout},
    }
    save(p, manifest)


def _finish(p: config.Paths, work: Work, res: dict, manifest: dict, log: BuildLog, result: BuildResult) -> None:
    entry = record(p, work, res, manifest)
    spec, what = work.spec, "+".join(work.formats)
    if entry["error"] is None:
        result.rendered.append(spec.id)
        log.finished(spec.id, f"{spec.id} {what} ok {res['duration_s']:.1f}s", ok=True)
    else:
        result.failed[spec.id] = entry["error"]
        log.finished(spec.id, f"{spec.id} {what} failed {res['duration_s']:.1f}s ({short_error(entry['error'])})", ok=False)


def _summary(result: BuildResult, log: BuildLog) -> None:
    if result.failed:
        result.exit_code = EXIT_REPORTS_FAILED
    counts = f"{len(result.rendered)} rendered, {len(result.failed)} failed, {len(result.up_to_date)} up to date"
    log.line(f"done in {result.duration_s:.1f}s: {counts}" + (" (exit 1)" if result.failed else ""))
    for report_id, error in sorted(result.failed.items()):
        line = f"  FAILED {report_id}: {short_error(error)}"
        if error.get("cell_line"):
            line += f" in `{error['cell_line']}`"
        if error.get("notebook"):
            line += f"; executed notebook: reports/{error['notebook']}"
        log.line(line)


# -- housekeeping ------------------------------------------------------------------------------


def _clear_staging(p: config.Paths, log: BuildLog) -> None:
    """Remove staging folders of runs that were killed (we hold the lock: none is live)."""
    if not p.staging.is_dir():
        return
    for leftover in sorted(p.staging.iterdir()):
        log.line(f"removing the unfinished output of an interrupted run: {rel(leftover, p.root)}")
        shutil.rmtree(leftover, ignore_errors=True)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


class _sigterm_as_interrupt:
    """Turn SIGTERM (systemd stop, timeout) into KeyboardInterrupt so cleanup runs."""

    def __enter__(self):
        self._old = None
        self._pid = os.getpid()
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGTERM, self._raise)
        return self

    def _raise(self, signum, frame):
        if os.getpid() != self._pid:  # a forked child (extraction pool) being terminated: just die
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt(f"signal {signum}")

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGTERM, self._old)


# -- dry run -----------------------------------------------------------------------------------


def dry_run_plan(p: config.Paths, options: BuildOptions, provinces: list[str] | None, notebooks_dir: Path) -> list[str]:
    """What ``build`` would do, and why, without writing anything or taking the lock."""
    lines = ["dry run: nothing will be changed"]
    state = load_state(p)
    code = code_sha256()
    upstream = None
    for stage in STAGES:
        sc = check(stage, p, state, mode=options.stages, notebooks_dir=notebooks_dir, code=code, force=options.force)
        if sc.stale:
            lines.append(f"stage {stage.name}: would run ({'; '.join(sc.reasons)})")
            upstream = upstream or stage.name
        elif upstream:
            lines.append(f"stage {stage.name}: would run if {upstream} changes its outputs (checked after it runs)")
        else:
            lines.append(f"stage {stage.name}: up to date")
    try:
        manifest = manifest_mod.load(p)
        _, specs, works, fresh = _plan(p, options, provinces, notebooks_dir, manifest)
    except InputError as exc:
        if upstream:
            lines.append(f"reports: decided after the data stages have run ({exc.message})")
            return lines
        raise
    if upstream:
        lines.append("reports (judged on the current data/processed; the data stages run first and may make more stale):")
    by_id = {w.spec.id: w for w in works}
    for spec in specs:
        work = by_id.get(spec.id)
        if work:
            via = ", PDF from the current HTML" if work.reuse_html else ""
            lines.append(f"  {spec.id:<28} {'+'.join(work.formats):<9} would render: {', '.join(work.reasons)}{via}")
        else:
            lines.append(f"  {spec.id:<28} {'+'.join(options.formats):<9} up to date")
    lines.append(f"{len(works)} report(s) would render, {len(fresh)} up to date")
    return lines


__all__ = [
    "BuildOptions", "BuildResult", "build", "default_jobs", "dry_run_plan", "resolve_provinces", "run_data_stages",
    "short_error",
    "EXIT_OK", "EXIT_REPORTS_FAILED", "EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "ReportSpec",
]
