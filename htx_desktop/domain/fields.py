"""What each record kind holds, field by field: type, Vietnamese label, whether required.

One table serves three readers: `domain/validation.py` checks values against it, the record
service (`store/service.py`) accepts exactly these keys, and the window can take its form labels
from it. Keys are the model attribute names of `store/models.py`; labels are written as they
read in the middle of a Vietnamese sentence (messages capitalise them when they open one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from htx_desktop.domain.catalogues import (
    AttendanceRole,
    AwardLevel,
    CadreLevel,
    Catalogue,
    CommunicationForm,
    CoopKind,
    CoopStatus,
    EventType,
    FigureSource,
    FundingSource,
    Gender,
    JobRole,
    PlanStatus,
    Position,
    Sector,
    SupportKind,
    Topic,
    UnitLevel,
)

FieldType = Literal[
    "text",  # free text, NFC and trimmed
    "code",  # one code of `codes`
    "codes",  # a list of codes of `codes` (a set: order kept, repeats dropped)
    "int",  # a whole number, not negative
    "date",
    "bool",
    "optional_bool",  # True / False / None (None means "not decided")
    "unit",  # an administrative unit id (int)
    "ref",  # a record id (UUID text)
    "phone",
    "tax_code",
    "id_number",
    "ethnicity",
    "items",  # a list of nested records of kind `child`
]

# How far ahead a date may plausibly lie: facts ("past") cannot be in the future, planned
# activities may be entered up to a year ahead, terms of office may end some years ahead.
Horizon = Literal["past", "plan", "term"]

MAX_MONEY = 10**15  # a million billion đồng: beyond any cooperative, and safe in BigInteger
MAX_COUNT = 10**6
# Free text without a tighter limit (notes, main products, results): a few pages, never the
# megabytes a pasted file or a hostile sheet would bring (issue 20). The package schema
# (resources/schemas) carries the same limits.
MAX_TEXT = 4000
MAX_REF = 100


@dataclass(frozen=True)
class FieldSpec:
    label: str
    kind: FieldType
    required: bool = False
    codes: type[Catalogue] | None = None
    max_len: int = 0
    horizon: Horizon = "past"
    maximum: int = MAX_MONEY
    child: str = ""


def _text(label: str, max_len: int, required: bool = False) -> FieldSpec:
    return FieldSpec(label, "text", required=required, max_len=max_len)


def _count(label: str, required: bool = False) -> FieldSpec:
    return FieldSpec(label, "int", required=required, maximum=MAX_COUNT)


def _flag(label: str) -> FieldSpec:
    return FieldSpec(label, "bool")


UNIT = FieldSpec("đơn vị hành chính", "unit", required=True)
NOTE = _text("ghi chú", 0)
PLAN_LINE = FieldSpec("dòng kế hoạch (Phụ lục)", "text", max_len=10)


COOPERATIVE: dict[str, FieldSpec] = {
    "unit_id": FieldSpec("xã/phường", "unit", required=True),
    "kind": FieldSpec("loại hình", "code", required=True, codes=CoopKind),
    "name": _text("tên HTX/THT", 300, required=True),
    "tax_code": FieldSpec("mã số thuế", "tax_code"),
    "village": _text("thôn, xóm", 200),
    "founded_on": FieldSpec("ngày thành lập", "date"),
    "registered_on": FieldSpec("ngày đăng ký", "date"),
    "status": FieldSpec("trạng thái", "code", codes=CoopStatus),
    "status_on": FieldSpec("ngày chuyển trạng thái", "date"),
    "converted_to_id": FieldSpec("HTX mà THT đã chuyển thành", "ref"),
    "main_products": _text("sản phẩm chính", 0),
    "union_supported": _flag("được Hội hỗ trợ thành lập"),
    "union_supported_on": FieldSpec("ngày Hội hỗ trợ thành lập", "date"),
    "union_support_level": FieldSpec("cấp Hội hỗ trợ thành lập", "code", codes=UnitLevel),
    "value_chain": _flag("liên kết chuỗi giá trị"),
    "science_tech": _flag("ứng dụng khoa học công nghệ"),
    "digital": _flag("chuyển đổi số"),
    "ecommerce": _flag("bán hàng trên sàn thương mại điện tử"),
    "trademark": _flag("nhãn hiệu đã đăng ký"),
    "traceability": _flag("truy xuất nguồn gốc"),
    "ip_registered": _flag("đăng ký sở hữu trí tuệ"),
    "ethnic_pilot_model": _flag("mô hình HTX kiểu mới do nữ dân tộc thiểu số quản lý"),
    "many_jobs_override": FieldSpec("tạo nhiều việc làm cho phụ nữ (tự xác định)",
                                    "optional_bool"),
    "many_jobs_reason": _text("lý do tự xác định", 0),
    "note": NOTE,
    "sectors": FieldSpec("lĩnh vực", "codes", codes=Sector),
    "yearly": FieldSpec("số liệu hằng năm", "items", child="yearly_figures"),
    "ocop_products": FieldSpec("sản phẩm OCOP", "items", child="ocop_product"),
    "positions": FieldSpec("chức vụ quản lý", "items", child="management_position"),
}

YEARLY_FIGURES: dict[str, FieldSpec] = {
    "year": FieldSpec("năm của số liệu", "int", required=True),
    "members": _count("tổng số thành viên"),
    "members_female": _count("số thành viên nữ"),
    "workers": _count("tổng số lao động"),
    "workers_female": _count("số lao động nữ"),
    "female_stable_jobs": _count("số lao động nữ có việc làm ổn định"),
    "female_ethnic_minority": _count("số lao động nữ dân tộc thiểu số"),
    "new_female_jobs": _count("số việc làm mới cho phụ nữ trong năm"),
    "revenue_vnd": FieldSpec("doanh thu (đồng)", "int"),
    "avg_monthly_income_vnd": FieldSpec("thu nhập bình quân tháng (đồng)", "int"),
    "source": FieldSpec("nguồn số liệu", "code", codes=FigureSource),
}

OCOP_PRODUCT: dict[str, FieldSpec] = {
    "product": _text("tên sản phẩm OCOP", 300, required=True),
    "stars": FieldSpec("số sao OCOP", "int", required=True, maximum=MAX_COUNT),
    "year": FieldSpec("năm công nhận OCOP", "int", required=True),
}

MANAGEMENT_POSITION: dict[str, FieldSpec] = {
    "person_id": FieldSpec("người giữ chức vụ", "ref", required=True),
    "position": FieldSpec("chức vụ", "code", required=True, codes=Position),
    "start": FieldSpec("ngày bắt đầu giữ chức vụ", "date", horizon="plan"),
    "end": FieldSpec("ngày thôi giữ chức vụ", "date", horizon="term"),
}

PERSON: dict[str, FieldSpec] = {
    "unit_id": FieldSpec("xã/phường", "unit", required=True),
    "full_name": _text("họ và tên", 200, required=True),
    "gender": FieldSpec("giới tính", "code", codes=Gender),
    "birth_year": FieldSpec("năm sinh", "int"),
    "ethnicity_code": FieldSpec("dân tộc", "ethnicity"),
    "village": _text("thôn, xóm", 200),
    "phone": FieldSpec("số điện thoại", "phone"),
    "id_number": FieldSpec("số CCCD/CMND", "id_number"),
    "poor": _flag("hộ nghèo"),
    "near_poor": _flag("hộ cận nghèo"),
    "ethnic_minority": _flag("dân tộc thiểu số"),
    "disability": _flag("khuyết tật"),
    "reintegrated": _flag("hoàn lương"),
    "trafficking_victim": _flag("nạn nhân bị mua bán"),
    "domestic_violence_victim": _flag("nạn nhân bạo lực gia đình"),
    "sexual_abuse_victim": _flag("nạn nhân bị xâm hại tình dục"),
    "unsafe_migrant": _flag("di cư không an toàn"),
    "laid_off_worker": _flag("lao động khu công nghiệp mất việc"),
    "note": NOTE,
}

CADRE: dict[str, FieldSpec] = {
    "unit_id": UNIT,
    "person_id": FieldSpec("cán bộ", "ref", required=True),
    "level": FieldSpec("cấp Hội", "code", required=True, codes=CadreLevel),
    "position": _text("chức vụ trong Hội", 100, required=True),
    "kttt_assigned": _flag("được phân công phụ trách KTTT/HTX"),
    "active_from": FieldSpec("ngày bắt đầu công tác", "date"),
    "active_to": FieldSpec("ngày thôi công tác", "date", horizon="term"),
}

EVENT: dict[str, FieldSpec] = {
    "unit_id": UNIT,
    "type": FieldSpec("loại hoạt động", "code", required=True, codes=EventType),
    "title": _text("tên hoạt động", 500, required=True),
    "start": FieldSpec("ngày bắt đầu", "date", required=True, horizon="plan"),
    "end": FieldSpec("ngày kết thúc", "date", horizon="plan"),
    "place": _text("địa điểm", 300),
    "lead_unit": _text("đơn vị chủ trì", 300),
    "co_organisers": _text("đơn vị phối hợp", 0),
    "plan_line": PLAN_LINE,
    "count_total": _count("tổng số người tham dự"),
    "count_female": _count("số người tham dự là nữ"),
    "count_ethnic_minority": _count("số người tham dự là người dân tộc thiểu số"),
    "count_htx_managers": _count("số người tham dự là cán bộ quản lý HTX"),
    "count_members_workers": _count("số người tham dự là thành viên, người lao động HTX/THT"),
    "count_cadres": _count("số người tham dự là cán bộ Hội"),
    "count_union_members": _count("số người tham dự là hội viên"),
    "note": NOTE,
    "topics": FieldSpec("chủ đề", "codes", codes=Topic),
    "funding": FieldSpec("kinh phí", "items", child="event_funding"),
    "attendance": FieldSpec("danh sách tham dự", "items", child="attendance"),
}

# Event counts may also be given as one `counts` mapping, with the data.json names.
EVENT_COUNT_KEYS: dict[str, str] = {
    "total": "count_total",
    "female": "count_female",
    "ethnic_minority": "count_ethnic_minority",
    "htx_managers": "count_htx_managers",
    "members_workers": "count_members_workers",
    "cadres": "count_cadres",
    "union_members": "count_union_members",
}

EVENT_FUNDING: dict[str, FieldSpec] = {
    "source": FieldSpec("nguồn kinh phí", "code", required=True, codes=FundingSource),
    "amount_vnd": FieldSpec("số tiền (đồng)", "int", required=True),
}

ATTENDANCE: dict[str, FieldSpec] = {
    "person_id": FieldSpec("người tham dự", "ref", required=True),
    "role": FieldSpec("vai trò khi tham dự", "code", codes=AttendanceRole),
}

JOB_PLACEMENT: dict[str, FieldSpec] = {
    "unit_id": UNIT,
    "person_id": FieldSpec("người lao động", "ref", required=True),
    "cooperative_id": FieldSpec("HTX/THT", "ref", required=True),
    "start": FieldSpec("ngày bắt đầu làm việc", "date", required=True, horizon="plan"),
    "end": FieldSpec("ngày thôi việc", "date", horizon="plan"),
    "role": FieldSpec("là thành viên hay người lao động", "code", codes=JobRole),
    "new_job": _flag("việc làm mới"),
    "stable": _flag("việc làm ổn định"),
    "training_event_id": FieldSpec("khóa đào tạo nghề liên quan", "ref"),
    "monthly_income_vnd": FieldSpec("thu nhập hằng tháng (đồng)", "int"),
}

SUPPORT: dict[str, FieldSpec] = {
    "unit_id": UNIT,
    "cooperative_id": FieldSpec("HTX/THT được hỗ trợ", "ref", required=True),
    "kind": FieldSpec("hình thức hỗ trợ", "code", required=True, codes=SupportKind),
    "on": FieldSpec("ngày hỗ trợ", "date", required=True, horizon="plan"),
    "provider": _text("đơn vị hỗ trợ", 300),
    "lender": _text("tổ chức cho vay", 300),
    "amount_vnd": FieldSpec("số tiền (đồng)", "int"),
    "plan_line": PLAN_LINE,
    "note": NOTE,
}

COMMUNICATION: dict[str, FieldSpec] = {
    "unit_id": UNIT,
    "on": FieldSpec("ngày tuyên truyền", "date", required=True, horizon="plan"),
    "form": FieldSpec("hình thức tuyên truyền", "code", required=True, codes=CommunicationForm),
    "topic": _text("nội dung tuyên truyền", 500, required=True),
    "reach": FieldSpec("số lượt người được tiếp cận", "int"),
    "plan_line": PLAN_LINE,
    "note": NOTE,
}

AWARD: dict[str, FieldSpec] = {
    "unit_id": UNIT,
    "recipient": _text("người hoặc tập thể được khen thưởng", 300, required=True),
    "person_id": FieldSpec("người được khen thưởng", "ref"),
    "cooperative_id": FieldSpec("HTX/THT được khen thưởng", "ref"),
    "title": _text("hình thức khen thưởng", 300, required=True),
    "level": FieldSpec("cấp khen thưởng", "code", required=True, codes=AwardLevel),
    "on": FieldSpec("ngày khen thưởng", "date", required=True),
}

# The cooperative gives the visit its commune (domain/kinds.py `unit_from`): no unit field.
SUPERVISION_VISIT: dict[str, FieldSpec] = {
    "cooperative_id": FieldSpec("HTX/THT được kiểm tra, giám sát", "ref", required=True),
    "on": FieldSpec("ngày kiểm tra, giám sát", "date", required=True),
    "visitors": _text("thành phần đoàn (chức vụ, đơn vị)", 500, required=True),
    "findings": _text("kết quả kiểm tra, giám sát", 0),
    "follow_up": _text("kiến nghị, việc cần khắc phục", 0),
    "follow_up_due": FieldSpec("hạn khắc phục", "date", horizon="plan"),
    "follow_up_done": _flag("đã khắc phục xong"),
}

PLAN_STATUS: dict[str, FieldSpec] = {
    "unit_id": UNIT,
    "line_code": FieldSpec("dòng kế hoạch (Phụ lục)", "text", required=True, max_len=10),
    "year": FieldSpec("năm", "int", required=True),
    "status": FieldSpec("tình hình thực hiện", "code", required=True, codes=PlanStatus),
    "result": _text("kết quả", 0),
}

FIELDS: dict[str, dict[str, FieldSpec]] = {
    "cooperative": COOPERATIVE,
    "yearly_figures": YEARLY_FIGURES,
    "ocop_product": OCOP_PRODUCT,
    "management_position": MANAGEMENT_POSITION,
    "person": PERSON,
    "cadre": CADRE,
    "event": EVENT,
    "event_funding": EVENT_FUNDING,
    "attendance": ATTENDANCE,
    "job_placement": JOB_PLACEMENT,
    "support": SUPPORT,
    "communication": COMMUNICATION,
    "award": AWARD,
    "plan_status": PLAN_STATUS,
    "supervision_visit": SUPERVISION_VISIT,
}
