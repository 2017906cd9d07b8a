"""The data stages of a build: clean -> extract -> compare, each rerun only when stale.

A stage is stale when the sha256 of any input file, of the package code, or (with
``--stages notebooks``) of its notebook differs from its last successful run, or when one
of its outputs is missing or no longer the file it wrote. That state lives in
``data/processed/.build-state.json``, next to the outputs it describes.

Both ways of running a stage call the same package function (the stage notebooks are thin
wrappers: ``run_clean(p)``, ``run_extract(p, jobs)``, ``run_compare(p)``), so both give
byte-identical outputs; the pipeline publishes them atomically, so a failing stage leaves the
previous outputs in place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, config
from .hashing import file_sha256, files_sha256, read_json, rel, write_json

STATE_SCHEMA = 1

#: Tables run_compare writes (egov_analysis.compare.run.WRITTEN; a test keeps them equal).
COMPARISON_TABLES = ("savings", "adoption", "timeseries", "rankings", "checks", "rollup_2025")


@dataclass(frozen=True)
class Stage:
    name: str
    notebook: str  # file name in the notebooks folder
    inputs: Callable[[config.Paths], list[Path]]
    outputs: Callable[[config.Paths], list[Path]]
    run: Callable[[config.Paths, int], object]


def _run_clean(p: config.Paths, jobs: int):
    from ..pipeline import run_clean

    return run_clean(p)


def _run_extract(p: config.Paths, jobs: int):
    from ..pipeline import run_extract

    # Workers start with forkserver (never fork a process running pyarrow's threads); a corpus
    # of one batch (~2 MB of text; the shipped seeds) is extracted in this process.
    return run_extract(p, jobs=jobs)


def _run_compare(p: config.Paths, jobs: int):
    from ..compare.run import run_compare

    return run_compare(p)


STAGES: tuple[Stage, ...] = (
    Stage(
        "clean",
        "01-clean-articles.ipynb",
        lambda p: [p.sources_csv, p.articles],
        lambda p: [p.articles_parquet, p.sentences_parquet, p.cleaning_log_csv],
        _run_clean,
    ),
    Stage(
        "extract",
        "02-extract-indicators.ipynb",
        lambda p: [p.articles_parquet, p.external, p.curation],
        lambda p: [p.indicators_csv, p.indicators_parquet, p.curation_report_csv],
        _run_extract,
    ),
    Stage(
        "compare",
        "03-compare-provinces.ipynb",
        lambda p: [p.indicators_parquet, p.external],
        lambda p: [p.comparison_csv(t) for t in COMPARISON_TABLES],
        _run_compare,
    ),
)


def processed_outputs(p: config.Paths) -> list[Path]:
    """Every file the data stages publish, in stage order."""
    return [f for stage in STAGES for f in stage.outputs(p)]


@dataclass
class StageCheck:
    stage: Stage
    inputs: dict
    reasons: list[str]

    @property
    def stale(self) -> bool:
        return bool(self.reasons)


def fingerprint(stage: Stage, p: config.Paths, mode: str, notebooks_dir: Path, code: str) -> dict:
    """What a stage's outputs depend on: input files, package code and version (+ notebook)."""
    inputs = {
        "files": files_sha256(stage.inputs(p), p.root),
        "code": code,
        "package_version": __version__,
    }
    if mode == "notebooks":
        inputs["notebook"] = file_sha256(notebooks_dir / stage.notebook)
    return inputs


def check(stage: Stage, p: config.Paths, state: dict, *, mode: str, notebooks_dir: Path, code: str, force: bool) -> StageCheck:
    """Is ``stage`` stale, and why (empty reasons: up to date)."""
    inputs = fingerprint(stage, p, mode, notebooks_dir, code)
    if force:
        return StageCheck(stage, inputs, ["--force"])
    previous = state.get("stages", {}).get(stage.name)
    if not previous:
        return StageCheck(stage, inputs, ["no record of a previous run"])
    reasons = _diff_inputs(previous.get("inputs", {}), inputs)
    for path in stage.outputs(p):
        key = rel(path, p.root)
        recorded = previous.get("outputs", {}).get(key)
        if not path.exists():
            reasons.append(f"{key} missing")
        elif recorded is not None and file_sha256(path) != recorded:
            reasons.append(f"{key} changed since it was written")
    return StageCheck(stage, inputs, reasons)


def _diff_inputs(old: dict, new: dict) -> list[str]:
    reasons = []
    old_files, new_files = old.get("files", {}), new["files"]
    for name in sorted(set(old_files) | set(new_files)):
        before, after = old_files.get(name), new_files.get(name)
        if before == after:
            continue
        if before is None:
            reasons.append(f"{name} added")
        elif after is None:
            reasons.append(f"{name} removed")
        else:
            reasons.append(f"{name} changed")
    if old.get("code") != new["code"]:
        reasons.append("package code changed")
    if old.get("package_version") != new["package_version"]:
        reasons.append(f"package version {old.get('package_version')} -> {new['package_version']}")
    if "notebook" in new and "notebook" not in old:
        reasons.append("stage notebook not run before")
    elif "notebook" in new and old["notebook"] != new["notebook"]:
        reasons.append("stage notebook changed")
    if len(reasons) > 4:  # a new corpus: name a few, count the rest
        reasons = reasons[:3] + [f"and {len(reasons) - 3} more change(s)"]
    return reasons


def load_state(p: config.Paths) -> dict:
    state = read_json(p.build_state_json) or {}
    if state.get("schema") != STATE_SCHEMA:
        return {"schema": STATE_SCHEMA, "stages": {}}
    state.setdefault("stages", {})
    return state


def run_stage(sc: StageCheck, p: config.Paths, state: dict, *, mode: str, notebooks_dir: Path, jobs: int, timeout: int | None, kernel_name: str | None) -> float:
    """Run one stale stage, record its state; return its duration in seconds.

    Errors propagate (EgovError from the pipeline, RenderError from a stage notebook); the
    state of the stage is then dropped so the next build retries it.
    """
    stage = sc.stage
    t0 = time.monotonic()
    state["stages"].pop(stage.name, None)
    write_json(p.build_state_json, state)
    if mode == "notebooks":
        _run_notebook(stage, p, notebooks_dir, timeout, kernel_name)
    else:
        stage.run(p, jobs)
    duration = time.monotonic() - t0
    state["stages"][stage.name] = {
        "inputs": sc.inputs,
        "outputs": {rel(f, p.root): file_sha256(f) for f in stage.outputs(p)},
        "mode": mode,
        "finished": _utc_now(),
        "duration_s": round(duration, 3),
    }
    write_json(p.build_state_json, state)
    return duration


def _run_notebook(stage: Stage, p: config.Paths, notebooks_dir: Path, timeout: int | None, kernel_name: str | None) -> None:
    from ..errors import InputError
    from ..render.execute import KERNEL_NAME, execute_notebook

    notebook = notebooks_dir / stage.notebook
    if not notebook.is_file():
        raise InputError(
            f"stage notebook for {stage.name} not found",
            where=notebook,
            fix="add the notebook, or build with `--stages package` (the default)",
        )
    out = p.executed_reports / "stages" / stage.notebook
    execute_notebook(notebook, out, {"root": str(p.root)}, timeout=timeout, kernel_name=kernel_name or KERNEL_NAME, cwd=notebooks_dir)


def _utc_now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
