#!/usr/bin/env bash
# Install what is needed, then run the whole test suite: ruff, mypy, pytest (slow tests too).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/build/setup-env.sh"
cd "$here"
# shellcheck disable=SC1091
. .venv/bin/activate
export QT_QPA_PLATFORM=offscreen
echo "== ruff"
ruff check htx_desktop tests db benchmarks tools
echo "== mypy"
mypy
echo "== pytest"
pytest -q -p no:cacheprovider "$@"
