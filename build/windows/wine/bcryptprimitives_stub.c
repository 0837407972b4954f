/* Wine-only test shim: ProcessPrng (imported by Rust >= 1.78 binaries: cryptography, rpds-py),
   missing from Wine 8.0, forwarded to BCryptGenRandom. Real Windows 10/11 has it. Compiled by
   build/windows/wine/check.sh into the Wine prefix's system32 ONLY, never into the bundle. */
#include <windows.h>
#include <bcrypt.h>
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
        data += n; len -= n;
    }
    return TRUE;
}
