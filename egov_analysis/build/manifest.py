"""``reports/manifest.json``: what every published report was built from, when, and how it went.

One entry per report id (``vi/bac-giang``)::

    {"kind", "name", "lang", "slug", "title", "notebook", "parameters", "inputs", "key",
     "status": "ok" | "failed" | "withdrawn", "started", "finished", "duration_s",
     "versions": {"egov-analysis", "python", "papermill", "nbconvert", "nbclient", "pandas",
                  "playwright"},
     "error": null | {"step", "message", "ename", "evalue", "cell_index", "cell_line", "notebook"},
     "published": {"html": {"path", "key", "inputs", "sha256", "generated"}, "pdf": {...}},
     "executed": "_executed/vi/bac-giang.ipynb"}

``status``/``error`` describe the last attempt; ``published`` describes the files in place,
which a failed attempt leaves untouched. Paths are relative to ``reports/`` so the folder can
be moved or served as it is.
"""

from __future__ import annotations

import platform
from functools import lru_cache

from .. import __version__, config
from .hashing import read_json, write_json

SCHEMA = 1
LIBRARIES = ("papermill", "nbconvert", "nbclient", "nbformat", "ipykernel", "pandas", "playwright")


def load(p: config.Paths) -> dict:
    manifest = read_json(p.manifest_json)
    if not manifest or manifest.get("schema") != SCHEMA:
        manifest = {"schema": SCHEMA, "reports": {}}
    manifest.setdefault("reports", {})
    return manifest


def save(p: config.Paths, manifest: dict) -> None:
    ordered = {"schema": SCHEMA, "generator": f"egov-analysis {__version__}", "updated": manifest.get("updated")}
    if "last_run" in manifest:
        ordered["last_run"] = manifest["last_run"]
    ordered["reports"] = dict(sorted(manifest["reports"].items()))
    write_json(p.manifest_json, ordered)


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    """Versions of the package and of the libraries that shape a report."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"egov-analysis": __version__, "python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out

