#!/usr/bin/env bash
# Install what is needed, then open HTX Desktop on a demo data folder (Thái Nguyên, demo data).
# The demo data folder is ./demo-data (override with HTX_DATA_DIR); your own data is untouched.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/build/setup-env.sh"
cd "$here"
# shellcheck disable=SC1091
. .venv/bin/activate
export HTX_DATA_DIR="${HTX_DATA_DIR:-$here/demo-data}"
if [ ! -f "$HTX_DATA_DIR/htx.sqlite3" ]; then
  echo "== preparing demo data in $HTX_DATA_DIR"
  htx-desktop init --unit 19 --officer "Nguyễn Thị Hoa" --position "Phó Chủ tịch" --phone 0912345678
  htx-desktop demo --seed 1
fi
exec htx-desktop "$@"
