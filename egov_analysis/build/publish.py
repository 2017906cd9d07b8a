"""Publishing a rendered report, filing a failed one, and keeping manifest.json and index.html.

Runs in the main process only (one writer), as each report finishes.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from .. import config
from . import manifest as manifest_mod
from .hashing import atomic_write_bytes, file_sha256, rel
from .index import render_index
from .plan import Work, published_path


def record(p: config.Paths, work: Work, res: dict, manifest: dict) -> dict:
    """Publish a finished report (or file its failed notebook) and update its manifest entry.

    Success: every format moves from staging into reports/<lang>/ with ``os.replace`` (the
    executed notebook into reports/_executed/). Failure: the published files stay as they are;
    the executed notebook, papermill's error cell included, goes to reports/_failed/<lang>/.
    Returns the entry (``entry["error"]`` is None on success).
    """
    spec = work.spec
    entry = manifest["reports"].setdefault(spec.id, {})
    entry.update(
        kind=spec.kind, name=spec.name, lang=spec.lang, slug=spec.slug, title=spec.title,
        notebook=rel(spec.notebook, p.root), parameters=spec.parameters, inputs=spec.inputs, key=spec.key,
        formats=list(work.formats), reasons=work.reasons, status=res["status"], started=res["started"],
        finished=res["finished"], duration_s=res["duration_s"], timings=res.get("timings", {}),
        versions=manifest_mod.library_versions(),
    )
    files = res.get("files", {})
    if res["status"] == "ok":
        targets = {fmt: published_path(p, spec, fmt) for fmt in work.formats}
        for fmt, target in targets.items():
            _move(Path(files[fmt]), target)
        published = entry.setdefault("published", {})
        for fmt, target in targets.items():
            published[fmt] = {
                "path": rel(target, p.reports), "key": spec.key, "inputs": spec.inputs,
                "sha256": file_sha256(target), "generated": res["generated"],
            }
        if "ipynb" in files:
            executed = p.executed_reports / spec.lang / f"{spec.slug}.ipynb"
            _move(Path(files["ipynb"]), executed)
            entry["executed"] = rel(executed, p.reports)
        (p.failed_reports / spec.lang / f"{spec.slug}.ipynb").unlink(missing_ok=True)
        entry["error"] = None
    else:
        error = dict(res["error"])
        if "ipynb" in files and Path(files["ipynb"]).exists():
            kept = p.failed_reports / spec.lang / f"{spec.slug}.ipynb"
            _move(Path(files["ipynb"]), kept)
            error["notebook"] = rel(kept, p.reports)
        entry["error"] = error
    save(p, manifest)
    return entry


def _move(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(src, 0o644)  # staged files may come from mkstemp (0600); reports are meant to be read
    os.replace(src, dest)


def short_error(error: dict) -> str:
    """"cell 5: KeyError: 'x'" / "pdf: Chromium failed to start: ..." for logs and the summary."""
    evalue = str(error.get("evalue") or "").strip().splitlines()
    if error.get("cell_index") is not None:
        what = f"{error.get('ename', 'Error')}: {evalue[0]}" if evalue else error.get("ename", "Error")
        return f"cell {error['cell_index']}: {what}"
    message = (error.get("message") or error.get("ename") or "failed").strip().splitlines()[0]
    return f"{error.get('step', 'render')}: {message}"


def mark_withdrawn(manifest: dict, provinces_with_data: set[str] | dict, langs: tuple[str, ...]) -> bool:
    """Flag province reports whose province no longer has data (their files are kept)."""
    changed = False
    for entry in manifest["reports"].values():
        if entry.get("kind") == "province" and entry.get("lang") in langs and entry.get("name") not in provinces_with_data:
            if entry.get("status") != "withdrawn":
                entry["status"] = "withdrawn"
                changed = True
    return changed


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def save(p: config.Paths, manifest: dict) -> None:
    manifest["updated"] = utc_now()
    manifest_mod.save(p, manifest)
    write_index(p, manifest)


def write_index(p: config.Paths, manifest: dict) -> None:
    page = render_index(manifest, updated=manifest.get("updated", ""))
    atomic_write_bytes(p.reports_index_html, page.encode("utf-8"), only_if_changed=True)
