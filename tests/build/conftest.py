"""Fixtures of the build tests: temporary projects with the shipped data and tiny notebooks.

``fixtures/notebooks`` holds stand-ins for the five notebooks of the contract (same file
names, same parameters) that render in about a second. A project is built once per session
(``built``); tests that change something work on a copy of it (``project``).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell

from egov_analysis import config
from egov_analysis.cli import cli

REPO = Path(__file__).resolve().parents[2]
FIXTURE_NOTEBOOKS = Path(__file__).resolve().parent / "fixtures" / "notebooks"
KERNEL = "egov-analysis"

# "[build] vi/bac-giang html+pdf ok 3.2s" / "... failed 0.7s (cell 5: ...)"
REPORT_LINE = re.compile(r"^\[build\] (?P<id>[a-z]{2}/[a-z0-9-]+) (?P<formats>[a-z+]+) (?P<status>ok|failed) ", re.M)


def make_project(root: Path) -> config.Paths:
    """A project at ``root``: data/raw, data/external, data/curation copied; fixture notebooks."""
    for sub in ("data/raw", "data/external", "data/curation"):
        shutil.copytree(REPO / sub, root / sub)
    (root / "data" / "processed").mkdir(parents=True)
    shutil.copytree(FIXTURE_NOTEBOOKS, root / "notebooks")
    return config.paths(root)


def egov_build(p: config.Paths, *args: str):
    """``egov --root <project> build ARGS`` in-process; returns click's Result."""
    return CliRunner().invoke(cli, ["--root", str(p.root), "build", *args], catch_exceptions=False)


def rendered(output: str, status: str = "ok") -> set[str]:
    return {m["id"] for m in REPORT_LINE.finditer(output) if m["status"] == status}


def add_cell(notebook: Path, source: str) -> None:
    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells.append(new_code_cell(source))
    nbformat.write(nb, str(notebook))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_state(root: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    """{relative path: (size, mtime_ns)} of every file under ``root``."""
    out = {}
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root).as_posix()
        if f.is_file() and not any(rel.startswith(s) for s in skip):
            st = f.stat()
            out[rel] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture(autouse=True)
def _no_notebook_override(monkeypatch):
    monkeypatch.delenv("EGOV_NOTEBOOKS", raising=False)
    monkeypatch.delenv("EGOV_CHROMIUM", raising=False)


@pytest.fixture(scope="session")
def kernel() -> str:
    """The project kernel, registered into this environment if the set-up has not done it."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL], check=True, capture_output=True)
    return KERNEL


@pytest.fixture(scope="session")
def built(tmp_path_factory, kernel):
    """(project root, output of the cold build): every report, both languages, HTML and PDF."""
    root = tmp_path_factory.mktemp("built") / "project"
    p = make_project(root)
    result = egov_build(p, "--jobs", "2")
    assert result.exit_code == 0, result.output
    return root, result.output


@pytest.fixture
def project(built, tmp_path) -> config.Paths:
    """A private copy of the built project, up to date, to change and rebuild.

    The catch-up build is a no-op unless the package code changed since the session's cold
    build (someone editing while the tests run); then it re-renders, so that every test
    starts from "nothing to do".
    """
    dest = tmp_path / "project"
    shutil.copytree(built[0], dest, symlinks=True)
    p = config.paths(dest)
    result = egov_build(p)
    assert result.exit_code == 0, result.output
    return p
