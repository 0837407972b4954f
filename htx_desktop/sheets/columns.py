"""The columns of each spreadsheet kind: Vietnamese header, value type, and the other wordings
offices use for the same column (matched folded, so case, diacritics and spacing do not count).

One table serves the template writer (headers, drop-downs, input checks), the column mapping
(synonyms) and the importer (types, required columns). Free of Qt and openpyxl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from htx_desktop.domain.text import fold

KINDS: tuple[str, ...] = ("cooperatives", "people", "events", "jobs")

KIND_LABELS: dict[str, str] = {
    "cooperatives": "HTX/THT và số liệu hằng năm",
    "people": "Người (cán bộ quản lý HTX, lao động) và chức vụ",
    "events": "Hoạt động và danh sách tham dự",
    "jobs": "Việc làm của phụ nữ tại HTX/THT",
}

# What a cell holds. "unit" is a unit of the home unit's tree by name or code; the list kinds
# ("coop_kind", "sector", …) are closed lists shown as drop-downs in the template.
ValueType = Literal[
    "text", "int", "year", "date", "bool", "unit", "coop_kind", "sector", "ethnicity",
    "gender", "position", "event_type", "attendance_role", "job_role", "tax_code", "phone",
    "id_number",
]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: ValueType = "text"
    required: bool = False
    synonyms: tuple[str, ...] = ()
    max_len: int = 0
    hint: str = ""

    @property
    def title(self) -> str:
        """The header as written in the template: required columns carry a star."""
        return self.header + (" (*)" if self.required else "")


def _c(key: str, header: str, type_: ValueType = "text", *synonyms: str, required: bool = False,
       max_len: int = 0, hint: str = "") -> Column:
    return Column(key, header, type_, required, synonyms, max_len, hint)


COMMUNE_SYNONYMS = ("xã", "phường", "xã/phường/thị trấn", "tên xã", "đơn vị", "địa bàn",
                    "địa chỉ xã", "xã phường", "mã xã")

COOPERATIVES: tuple[Column, ...] = (
    _c("name", "Tên HTX/THT", "text", "tên htx", "tên hợp tác xã", "tên tổ hợp tác",
       "tên hợp tác xã/tổ hợp tác", "hợp tác xã", "tên đơn vị", required=True, max_len=300),
    _c("kind", "Loại hình", "coop_kind", "loại", "loại hình tổ chức", "htx/tht",
       required=True, hint="HTX, THT hoặc Liên hiệp HTX; để trống: theo tên (HTX…, THT…, "
                           "Liên hiệp…)"),
    _c("commune", "Xã/phường", "unit", *COMMUNE_SYNONYMS, required=True,
       hint="tên hoặc mã xã/phường nơi đặt trụ sở"),
    _c("tax_code", "Mã số thuế", "tax_code", "mst", "mã số doanh nghiệp", "mã số htx",
       hint="không bắt buộc; 10 chữ số"),
    _c("village", "Thôn, xóm", "text", "thôn", "thôn xóm", "thôn/xóm/bản", "địa chỉ",
       max_len=200),
    _c("founded_on", "Ngày thành lập", "date", "thành lập", "ngày thành lập htx"),
    _c("registered_on", "Ngày đăng ký", "date", "ngày cấp đăng ký", "ngày cấp giấy đăng ký"),
    _c("sector", "Lĩnh vực", "sector", "ngành nghề", "lĩnh vực hoạt động", "ngành"),
    _c("union_supported", "Hội hỗ trợ thành lập", "bool", "được hội hỗ trợ thành lập",
       "do hội hỗ trợ thành lập", "hội hỗ trợ", hint="Có hoặc Không"),
    _c("year", "Năm số liệu", "year", "năm", "năm báo cáo",
       hint="để trống: số liệu năm nay (khi nhập có thể chọn năm khác cho cả bảng)"),
    _c("members", "Tổng số thành viên", "int", "số thành viên", "thành viên", "tổng thành viên"),
    _c("members_female", "Thành viên nữ", "int", "số thành viên nữ", "thành viên là nữ",
       "tổng số thành viên nữ", "số thành viên trong đó nữ"),
    _c("workers", "Tổng số lao động", "int", "số lao động", "lao động", "tổng lao động",
       "số lao động tổng"),
    _c("workers_female", "Lao động nữ", "int", "số lao động nữ", "lao động là nữ",
       "số lao động trong đó nữ", "số lao động nữ"),
    _c("female_stable_jobs", "Lao động nữ có việc làm ổn định", "int",
       "số lao động nữ có việc làm ổn định", "việc làm ổn định"),
    _c("female_ethnic_minority", "Lao động nữ dân tộc thiểu số", "int",
       "số lao động nữ dân tộc thiểu số", "lao động nữ dtts", "nữ dtts"),
    _c("new_female_jobs", "Việc làm mới cho phụ nữ", "int", "số việc làm mới cho phụ nữ",
       "việc làm mới"),
    _c("revenue_vnd", "Doanh thu (đồng)", "int", "doanh thu", "doanh thu năm",
       "tổng doanh thu", "doanh thu vnđ", "doanh thu vnd"),
    _c("avg_monthly_income_vnd", "Thu nhập bình quân tháng (đồng)", "int",
       "thu nhập bình quân", "thu nhập bình quân tháng", "thu nhập bq", "thu nhập bình quân/tháng"),
    _c("note", "Ghi chú", "text", "ghi chu"),
)

PEOPLE: tuple[Column, ...] = (
    _c("full_name", "Họ và tên", "text", "họ tên", "tên", "họ và tên thành viên", "tên người",
       required=True, max_len=200),
    _c("gender", "Giới tính", "gender", "giới", "nam/nữ"),
    _c("birth_year", "Năm sinh", "year", "năm sinh", "sinh năm", "ngày sinh"),
    _c("ethnicity", "Dân tộc", "ethnicity", "dân tộc", "mã dân tộc"),
    _c("commune", "Xã/phường", "unit", *COMMUNE_SYNONYMS, required=True,
       hint="tên hoặc mã xã/phường nơi cư trú"),
    _c("village", "Thôn, xóm", "text", "thôn", "thôn xóm", "thôn/xóm/bản", max_len=200),
    _c("phone", "Số điện thoại", "phone", "điện thoại", "sđt", "số đt", "đt"),
    _c("id_number", "Số CCCD", "id_number", "cccd", "số cccd/cmnd", "cmnd", "căn cước"),
    _c("position", "Chức vụ trong HTX/THT", "position", "chức vụ", "chức danh",
       "chức vụ tại htx"),
    _c("coop_name", "Tên HTX/THT", "text", "htx/tht", "tên htx", "hợp tác xã", "đơn vị công tác",
       hint="bắt buộc khi có chức vụ"),
    _c("position_start", "Ngày bắt đầu giữ chức vụ", "date", "từ ngày", "ngày bổ nhiệm"),
    _c("note", "Ghi chú", "text"),
)

EVENTS: tuple[Column, ...] = (
    _c("title", "Tên hoạt động", "text", "tên lớp", "tên hội nghị", "nội dung", "tên lớp tập huấn",
       "tên hoạt động/lớp", required=True, max_len=500),
    _c("event_type", "Loại hoạt động", "event_type", "hình thức", "loại", "hình thức hoạt động",
       required=True),
    _c("start", "Ngày bắt đầu", "date", "ngày", "ngày tổ chức", "thời gian", "từ ngày",
       required=True),
    _c("end", "Ngày kết thúc", "date", "đến ngày"),
    _c("unit", "Đơn vị tổ chức", "unit", "đơn vị", "cấp tổ chức", "xã/phường tổ chức",
       required=True, hint="tên hoặc mã đơn vị hành chính"),
    _c("place", "Địa điểm", "text", "nơi tổ chức", max_len=300),
    _c("count_total", "Tổng số người tham dự", "int", "số người tham dự", "số lượng",
       "tổng số", "số người"),
    _c("count_female", "Số người tham dự là nữ", "int", "số nữ", "trong đó nữ", "nữ"),
    _c("attendee_name", "Họ và tên người tham dự", "text", "họ và tên", "họ tên",
       "người tham dự", max_len=200),
    _c("attendee_birth_year", "Năm sinh người tham dự", "year", "năm sinh"),
    _c("attendee_gender", "Giới tính người tham dự", "gender", "giới tính"),
    _c("attendee_commune", "Xã/phường của người tham dự", "unit", "xã/phường", "xã", "địa chỉ",
       hint="để trống: xã/phường tổ chức"),
    _c("attendee_role", "Vai trò khi tham dự", "attendance_role", "vai trò", "thành phần"),
)

JOBS: tuple[Column, ...] = (
    _c("full_name", "Họ và tên người lao động", "text", "họ và tên", "họ tên", "người lao động",
       required=True, max_len=200),
    _c("birth_year", "Năm sinh", "year", "sinh năm"),
    _c("gender", "Giới tính", "gender", "giới"),
    _c("commune", "Xã/phường nơi cư trú", "unit", *COMMUNE_SYNONYMS, required=True),
    _c("coop_name", "Tên HTX/THT", "text", "htx/tht", "tên htx", "hợp tác xã", "nơi làm việc",
       required=True),
    _c("coop_tax_code", "Mã số thuế HTX", "tax_code", "mã số thuế", "mst"),
    _c("start", "Ngày bắt đầu làm việc", "date", "ngày bắt đầu", "từ ngày", "ngày vào làm",
       required=True),
    _c("end", "Ngày thôi việc", "date", "đến ngày", "ngày nghỉ việc"),
    _c("role", "Là thành viên hay người lao động", "job_role", "vai trò", "là", "hình thức"),
    _c("new_job", "Việc làm mới", "bool", "việc mới"),
    _c("stable", "Việc làm ổn định", "bool", "ổn định"),
    _c("monthly_income_vnd", "Thu nhập hằng tháng (đồng)", "int", "thu nhập", "thu nhập tháng",
       "thu nhập bình quân tháng"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "cooperatives": COOPERATIVES, "people": PEOPLE, "events": EVENTS, "jobs": JOBS,
}

_NOISE = re.compile(r"\((?:\*|bắt buộc|bat buoc)\)|\*")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def header_key(text: str) -> str:
    """A header folded for matching: no star, case, diacritics or punctuation."""
    return " ".join(_NON_WORD.sub(" ", fold(_NOISE.sub(" ", text))).split())


def _without_brackets(key_source: str) -> str:
    return header_key(re.sub(r"\([^)]*\)", " ", key_source))


def column_for(kind: str, header: str) -> Column | None:
    """The column this header names (its own header, then a synonym; brackets such as
    "(đồng)" or "(triệu đồng)" are tried without as well)."""
    for key in (header_key(header), _without_brackets(header)):
        if not key:
            continue
        for column in COLUMNS[kind]:
            if key == header_key(column.header) or key == header_key(column.title):
                return column
        for column in COLUMNS[kind]:
            if any(key == header_key(s) for s in column.synonyms):
                return column
    return None
