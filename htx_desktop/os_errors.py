"""What the operating system said when a file could not be read or written, in the officer's
language: `exc.strerror` is the C library's English ("No such file or directory")."""

from __future__ import annotations

import errno

from htx_desktop.i18n import t

_WORDS: dict[int, str] = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải là thư mục",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EROFS: "ổ đĩa chỉ cho đọc, không ghi được",
    errno.EEXIST: "tệp đã có",
}


def os_error_text(exc: OSError) -> str:
    """A short Vietnamese phrase for the common cases; the system's own words otherwise."""
    words = _WORDS.get(exc.errno or -1)
    return t(words) if words else (exc.strerror or str(exc))
