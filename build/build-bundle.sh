#!/usr/bin/env bash
# Build the one-folder bundle (pyinstaller.spec) for the machine this runs on:
#   build/out/dist/htx-desktop/   htx-desktop[.exe] (window), htx-desktop-cli[.exe], _internal/
#   build/out/SIZE.txt            total size and the ten largest entries
#   build/out/BUILD-HASH          fingerprint of the sources it was built from (tests reuse it)
# Needs the build extra: pip install -e ".[build]" (PyInstaller). Works in Git Bash on Windows.
# OUT=folder changes build/out.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
out="${OUT:-$here/build/out}"
if [ -z "${VIRTUAL_ENV:-}" ] && [ -f .venv/bin/activate ]; then
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
py="${PYTHON:-python}"
"$py" -c "import PyInstaller" 2>/dev/null || {
  echo "!! PyInstaller is missing: pip install -e '.[build]'" >&2; exit 1; }

echo "== version resource ($("$py" build/bundle_tools.py version))"
"$py" build/bundle_tools.py version-info build/windows/version_info.txt
echo "== pyinstaller (output in $out)"
rm -f "$out/BUILD-HASH"
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$out/dist" --workpath "$out/work" pyinstaller.spec
"$py" build/bundle_tools.py hash > "$out/BUILD-HASH"
echo "== size"
"$py" build/bundle_tools.py size "$out/dist/htx-desktop" "$out/SIZE.txt"
