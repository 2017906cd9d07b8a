#!/usr/bin/env bash
# The main job: set up (idempotent) and build everything from the shipped corpus.
# Extra arguments go to `egov build` (e.g. ./build.sh --province "Cà Mau" --jobs 2).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
exec .venv/bin/egov build "$@"
