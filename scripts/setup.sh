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
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.egov-installed
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! .venv/bin/python -c 'import egov_analysis' >/dev/null 2>&1; then
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
