"""HTX Desktop: theo dõi Đề án hỗ trợ HTX do phụ nữ tham gia quản lý (Hội LHPN)."""

import os as _os

__version__ = "0.1.0"
PROGRAM_NAME = "htx-desktop"

# openpyxl writes through lxml whenever lxml is installed (python-docx brings it, for the Word
# copy of the report): other bytes than the standard library's writer, which the workbook's
# fast row writer (reports/sheet_xml.py) reproduces and splices into. Keep openpyxl on the
# standard library's writer, as before; set before anything imports openpyxl.
_os.environ.setdefault("OPENPYXL_LXML", "False")
