#!/usr/bin/env bash
# Set up everything egov-analysis needs, idempotently:
#   Debian packages (Chromium for PDFs, fonts with Vietnamese glyphs in monospace, poppler),
#   a virtual environment in .venv/ with the package installed (editable, with dev extras),
#   and the project's Jupyter kernel "egov-analysis" registered inside that venv.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

# ---- 1. Debian packages (only what is missing) -------------------------------------------
debs=(chromium fonts-noto-mono poppler-utils)
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then debs+=(python3-venv); fi
missing=()
if command -v dpkg >/dev/null 2>&1; then
  for pkg in "${debs[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "[setup] need root to apt-get install ${missing[*]}; run: sudo apt-get install ${missing[*]}" >&2; exit 1; }
    SUDO=sudo
  fi
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "Debian packages present"
fi

# ---- 2. virtual environment + package ------------------------------------------------------
PY=${PYTHON:-python3}
# A venv only works where it was made: its scripts (bin/egov, bin/pip), its Jupyter kernel and its
# editable install of egov_analysis all name absolute paths in the checkout it was created in. A .venv
# that came along with a copied or moved checkout would run (and write the data/reports of) the OTHER
# checkout, so rebuild it. The check prints the other checkout's path, or nothing when .venv is ours;
# -I keeps the current directory off sys.path so `import egov_analysis` really tests the install.
venv_owner_check=$(cat <<'PY'
import json, os, re, sys
root = os.path.realpath(sys.argv[1])
venv = os.path.realpath(os.path.join(root, ".venv"))
others = []
def check_venv(path):  # path: the venv something refers to
    if os.path.realpath(path) != venv:
        others.append(os.path.dirname(os.path.normpath(path)))
def interpreter(script):  # the python a script or kernel names, or None
    try:
        if script.endswith(".json"):
            with open(script, encoding="utf-8") as f:
                return json.load(f)["argv"][0]
        with open(script, "rb") as f:
            head = f.read(4096).decode("utf-8", "replace").splitlines()[:2]
    except Exception:
        return None
    if not head or not head[0].startswith("#!"):
        return None
    if head[0].strip() == "#!/bin/sh":  # pip's form for long paths or paths with spaces
        m = re.search(r'"([^"]+)"', head[1]) if len(head) > 1 else None
        return m.group(1) if m else None
    return head[0][2:].strip()
check_venv(sys.prefix)
for rel in ("bin/egov", "bin/pip", "share/jupyter/kernels/egov-analysis/kernel.json"):
    python = interpreter(os.path.join(sys.prefix, rel))
    if python and os.path.isabs(python):
        check_venv(os.path.dirname(os.path.dirname(python)))
try:
    import egov_analysis
    package = os.path.dirname(os.path.realpath(egov_analysis.__file__))
    if package != os.path.realpath(os.path.join(root, "egov_analysis")):
        others.append(os.path.dirname(package))
except Exception:
    pass
print(others[0] if others else "")
PY
)
if [ -e .venv ] || [ -L .venv ]; then
  if ! other="$(.venv/bin/python -I -c "$venv_owner_check" "$(pwd -P)" 2>/dev/null)"; then
    log ".venv is broken (its python does not run): rebuilding it"
    rm -rf .venv
  elif [ -n "$other" ]; then
    log ".venv was made for another checkout ($other): rebuilding it"
    rm -rf .venv
  fi
fi
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.egov-installed
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! .venv/bin/python -I -c 'import egov_analysis' >/dev/null 2>&1; then
  log "installing the package and its dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
else
  log ".venv up to date"
fi

# ---- 3. Jupyter kernel for the notebooks ---------------------------------------------------
if [ ! -f .venv/share/jupyter/kernels/egov-analysis/kernel.json ]; then
  log "registering Jupyter kernel egov-analysis"
  .venv/bin/python -m ipykernel install --sys-prefix --name egov-analysis --display-name "Python (egov-analysis)" >/dev/null
fi
log "ready: .venv/bin/egov"
