"""Packaging promises: environment.yml matches pyproject.toml; notebooks carry no outputs."""

from __future__ import annotations

import json
import re
import tomllib

from tests.conftest import REPO

_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*)$")


def _split(req: str) -> tuple[str, str]:
    m = _REQ.match(req.split("#")[0].strip())
    name = re.sub(r"\[.*\]", "", m.group(1)).lower().replace("_", "-")
    return name, m.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"]) + [r for extra in meta.get("optional-dependencies", {}).values() for r in extra]
    return dict(_split(r) for r in reqs)


def _environment() -> dict[str, str]:
    deps, in_pip, in_deps = {}, False, False
    for line in (REPO / "environment.yml").read_text().splitlines():
        stripped = line.strip()
        if not line.startswith((" ", "-", "#")) and stripped:
            in_deps = stripped.startswith("dependencies:")
            continue
        if not in_deps:
            continue
        if stripped.startswith("- pip:"):
            in_pip = True
            continue
        if not stripped.startswith("- ") or in_pip:
            continue
        name, spec = _split(stripped[2:].replace("=", "==", 1) if re.match(r"^- python=", stripped) else stripped[2:])
        if name in {"python", "pip"}:
            continue
        deps[name] = spec
    return deps


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    assert _environment() == _pyproject()


def test_environment_yml_pins_python_311_from_conda_forge():
    text = (REPO / "environment.yml").read_text()
    assert "- conda-forge" in text and "- python=3.11" in text and "- -e ." in text


def test_console_script_egov_is_declared():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert meta["scripts"]["egov"] == "egov_analysis.cli:main"


def test_notebooks_are_committed_without_outputs():
    for nb_path in sorted((REPO / "notebooks").glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [] and cell.get("execution_count") is None, f"{nb_path.name} has outputs: strip them"


def _venv_owner_check() -> str:
    """The Python snippet scripts/setup.sh runs in .venv to tell which checkout the venv was made for."""
    text = (REPO / "scripts" / "setup.sh").read_text()
    m = re.search(r"venv_owner_check=\$\(cat <<'PY'\n(.*?)\nPY\n\)", text, re.S)
    assert m, "scripts/setup.sh lost its .venv ownership check"
    assert "was made for another checkout" in text and 'rm -rf .venv' in text
    return m.group(1)


def test_setup_sh_spots_a_venv_copied_from_another_checkout(tmp_path):
    import shutil
    import subprocess
    import sys

    check = _venv_owner_check()

    def owner(checkout):
        out = subprocess.run([str(checkout / ".venv" / "bin" / "python"), "-I", "-c", check, str(checkout)],
                             capture_output=True, text=True, check=True, cwd=tmp_path)
        return out.stdout.strip()

    original = tmp_path / "original"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(original / ".venv")], check=True)
    assert owner(original) == ""  # a venv made here, with nothing installed yet, is ours
    bindir = original / ".venv" / "bin"
    (bindir / "egov").write_text(f"#!{bindir / 'python'}\nimport sys\n")
    (bindir / "pip").write_text(f"#!/bin/sh\n'''exec' \"{bindir / 'python'}\" \"$0\" \"$@\"\n' '''\n")
    assert owner(original) == ""  # its scripts name its own python

    copy = tmp_path / "copy"
    shutil.copytree(original, copy, symlinks=True)
    assert owner(copy) == str(original)  # copied along with the checkout: rebuild
    (copy / ".venv" / "bin" / "egov").unlink()
    assert owner(copy) == str(original)  # pip's /bin/sh form for long paths is read too
