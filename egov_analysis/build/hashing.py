"""Content hashes that decide what is stale, and the small file helpers the build needs.

Everything here is standard library only: a no-op build must not pay for importing pandas
(``egov_analysis.io`` imports it at module level, hence the tiny atomic writer below).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import config
from ..io import atomic_write_bytes  # noqa: F401  (re-exported for build modules)

_CHUNK = 1 << 20


def file_sha256(path: Path) -> str | None:
    """sha256 of a file's bytes, or None if it does not exist."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                h.update(chunk)
    except FileNotFoundError:
        return None
    return h.hexdigest()


def text_sha256(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def json_sha256(obj) -> str:
    """sha256 of canonical JSON (sorted keys, no spaces): equal data, equal hash."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def _visible_files(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    out = set()
    for pattern in patterns:
        for f in folder.glob(pattern):
            rel = f.relative_to(folder)
            if f.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                out.add(f)
    return sorted(out)


def files_sha256(paths: list[Path], root: Path, patterns: tuple[str, ...] = ("**/*",)) -> dict[str, str | None]:
    """``{path relative to root: sha256}`` for files and for every visible file under folders.

    A missing file maps to None, so "deleted" is a change like any other.
    """
    out: dict[str, str | None] = {}
    for path in paths:
        if path.is_dir():
            for f in _visible_files(path, patterns):
                out[_rel(f, root)] = file_sha256(f)
        else:
            out[_rel(path, root)] = file_sha256(path)
    return out


def tree_sha256(folder: Path, patterns: tuple[str, ...] = ("**/*",)) -> str:
    """One hash for every visible file under ``folder`` (names and contents)."""
    return json_sha256(files_sha256([folder], folder, patterns))


def code_sha256() -> str:
    """The package code: every ``egov_analysis/**/*.py`` and every table shipped with it
    (``**/*.csv``: the rule tables in ``rules/``, the report labels, ...)."""
    return json_sha256(files_sha256([config.PACKAGE_DIR], config.PACKAGE_DIR, ("**/*.py", "**/*.csv")))


def templates_sha256() -> str:
    return tree_sha256(config.TEMPLATES_DIR)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def rel(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form (absolute if it lies outside)."""
    return _rel(Path(path), Path(root))


def write_json(path: Path, obj, *, only_if_changed: bool = False) -> bool:
    text = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    return atomic_write_bytes(path, text.encode("utf-8"), only_if_changed=only_if_changed)


def read_json(path: Path) -> dict | None:
    """The JSON object in ``path``, or None if it is missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as fh:
            obj = json.load(fh)
    except (FileNotFoundError, ValueError, OSError):
        return None
    return obj if isinstance(obj, dict) else None
