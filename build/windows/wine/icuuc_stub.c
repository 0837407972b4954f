/* Wine-only test shim for Qt 6.11's Qt6Core.dll, which imports 20 ucnv_* functions from the
   system ICU that Windows 10 1903+ ships (icuuc.dll) and Wine 8.0 lacks. Every converter lookup
   fails, so Qt falls back to its built-in UTF-8/16/32 and Latin-1 codecs. Compiled by
   build/windows/wine/check.sh with mingw-w64 into the Wine prefix's system32 ONLY: it must never
   reach the bundle (the check fails if it does). */
#include <stdint.h>
#include <stddef.h>
#define API __declspec(dllexport)
typedef int UErrorCode;
#define FAIL(e) do { if ((e) && *(e) <= 0) *(e) = 4; /* U_FILE_ACCESS_ERROR */ } while (0)
API void *ucnv_open(const char *n, UErrorCode *e) { (void)n; FAIL(e); return NULL; }
API void ucnv_close(void *c) { (void)c; }
API int32_t ucnv_countAvailable(void) { return 0; }
API const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
API const char *ucnv_getStandardName(const char *n, const char *s, UErrorCode *e) { (void)n; (void)s; FAIL(e); return NULL; }
API const char *ucnv_getName(const void *c, UErrorCode *e) { (void)c; FAIL(e); return NULL; }
API int8_t ucnv_getMaxCharSize(const void *c) { (void)c; return 1; }
API void ucnv_reset(void *c) { (void)c; }
API void ucnv_fromUnicode(void *c, char **t, const char *tl, const uint16_t **s, const uint16_t *sl, int32_t *o, int8_t f, UErrorCode *e) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; FAIL(e); }
API void ucnv_toUnicode(void *c, uint16_t **t, const uint16_t *tl, const char **s, const char *sl, int32_t *o, int8_t f, UErrorCode *e) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; FAIL(e); }
API int32_t ucnv_fromUCountPending(const void *c, UErrorCode *e) { (void)c; (void)e; return 0; }
API int32_t ucnv_toUCountPending(const void *c, UErrorCode *e) { (void)c; (void)e; return 0; }
API void ucnv_setFromUCallBack(void *c, void *n, const void *x, void **o, const void **oc, UErrorCode *e) { (void)c; (void)n; (void)x; if (o) *o = NULL; if (oc) *oc = NULL; FAIL(e); }
API void ucnv_setToUCallBack(void *c, void *n, const void *x, void **o, const void **oc, UErrorCode *e) { (void)c; (void)n; (void)x; if (o) *o = NULL; if (oc) *oc = NULL; FAIL(e); }
API void ucnv_getFromUCallBack(const void *c, void **a, const void **x) { (void)c; if (a) *a = NULL; if (x) *x = NULL; }
API void ucnv_getToUCallBack(const void *c, void **a, const void **x) { (void)c; if (a) *a = NULL; if (x) *x = NULL; }
API void ucnv_cbFromUWriteUChars(void *a, const uint16_t **s, const uint16_t *sl, int32_t o, UErrorCode *e) { (void)a; (void)s; (void)sl; (void)o; FAIL(e); }
API void ucnv_cbToUWriteUChars(void *a, const uint16_t *s, int32_t l, int32_t o, UErrorCode *e) { (void)a; (void)s; (void)l; (void)o; FAIL(e); }
API void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const uint16_t *u, int32_t l, int32_t cp, int r, UErrorCode *e) { (void)c; (void)a; (void)u; (void)l; (void)cp; (void)r; FAIL(e); }
API void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *u, int32_t l, int r, UErrorCode *e) { (void)c; (void)a; (void)u; (void)l; (void)r; FAIL(e); }
