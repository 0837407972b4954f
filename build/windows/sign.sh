#!/usr/bin/env bash
# Code-signing hook for the Windows build (Authenticode, with osslsigncode; Linux or Git Bash).
#
#   bash build/windows/sign.sh FILE.exe ...      # signs each file in place
#
# Unsigned builds work, but Windows SmartScreen warns about them (README, "Windows"). When the
# Women's Union has a code-signing certificate, the build machine signs in this order:
#   1. the bundle's executables, after PyInstaller and before Inno Setup packs them:
#        bash build/windows/sign.sh build/out/dist/htx-desktop/*.exe
#   2. the installer, after ISCC:
#        bash build/windows/sign.sh build/out/installer/HTX-Desktop-Setup-<version>.exe
#   The uninstaller (unins000.exe) is written by Setup at install time; it is signed only when
#   ISCC itself signs, on a Windows build PC:
#        ISCC /Shtxsign="bash build/windows/sign.sh $f" /DSignTool=htxsign /DAppVersion=... htx-desktop.iss
#
# The certificate comes from the environment, never from the repository:
#   HTX_SIGN_PFX            PKCS#12 file (.pfx/.p12) with the certificate and its private key
#   HTX_SIGN_PASS_FILE      a file holding the .pfx password (not the password itself)
#   HTX_SIGN_TIMESTAMP_URL  optional RFC 3161 time-stamp server (signatures then outlive the
#                           certificate; needs the internet at build time, never at run time)
# Hardware tokens (EV certificates) work through osslsigncode's -pkcs11engine/-pkcs11module
# options instead of -pkcs12; see `osslsigncode --help`.
# Without HTX_SIGN_PFX the files stay unsigned and the script says so (exit 0).
set -euo pipefail

if [ $# -eq 0 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d'
  exit 2
fi
if [ -z "${HTX_SIGN_PFX:-}" ]; then
  for f in "$@"; do echo "unsigned (no HTX_SIGN_PFX): $f"; done
  exit 0
fi
command -v osslsigncode >/dev/null || { echo "!! osslsigncode is missing (apt-get install osslsigncode)" >&2; exit 1; }
[ -f "$HTX_SIGN_PFX" ] || { echo "!! no certificate file: $HTX_SIGN_PFX" >&2; exit 1; }
pass=()
if [ -n "${HTX_SIGN_PASS_FILE:-}" ]; then pass=(-readpass "$HTX_SIGN_PASS_FILE"); fi
stamp=()
if [ -n "${HTX_SIGN_TIMESTAMP_URL:-}" ]; then stamp=(-ts "$HTX_SIGN_TIMESTAMP_URL"); fi
for f in "$@"; do
  tmp="$f.signing"
  osslsigncode sign -pkcs12 "$HTX_SIGN_PFX" "${pass[@]}" "${stamp[@]}" -h sha256 \
    -n "HTX Desktop" -in "$f" -out "$tmp" >/dev/null
  mv -f "$tmp" "$f"
  echo "signed: $f"
done
