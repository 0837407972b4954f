"""Every validation rule, with the exact message the officer reads."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

import pytest

from htx_desktop.domain import validation as v
from htx_desktop.domain.validation import FieldError, ValidationError, clean

TODAY = date(2025, 6, 15)

COOP: dict[str, Any] = {"unit_id": 7, "kind": "htx", "name": "HTX Chè Tân Cương"}
PERSON: dict[str, Any] = {"unit_id": 7, "full_name": "Nguyễn Thị Hoà"}
EVENT: dict[str, Any] = {"unit_id": 1, "type": "tap_huan", "title": "Tập huấn chuyển đổi số",
                         "start": date(2025, 3, 1)}
YEAR: dict[str, Any] = {"year": 2024}
OCOP: dict[str, Any] = {"product": "Chè búp", "stars": 4, "year": 2022}
POSITION: dict[str, Any] = {"person_id": "p1", "position": "chair"}
CADRE: dict[str, Any] = {"unit_id": 1, "person_id": "p1", "level": "xa", "position": "Chủ tịch"}
JOB: dict[str, Any] = {"unit_id": 1, "person_id": "p1", "cooperative_id": "c1",
                       "start": date(2024, 5, 1)}
SUPPORT: dict[str, Any] = {"unit_id": 1, "cooperative_id": "c1", "kind": "credit",
                           "on": date(2024, 5, 1)}
COMMUNICATION: dict[str, Any] = {"unit_id": 1, "on": date(2024, 5, 1), "form": "news",
                                 "topic": "Giới thiệu HTX"}
AWARD: dict[str, Any] = {"unit_id": 1, "recipient": "HTX Chè", "title": "Bằng khen",
                         "level": "tinh", "on": date(2024, 5, 1)}
PLAN: dict[str, Any] = {"unit_id": 1, "line_code": "II.2", "year": 2024, "status": "done"}

BASES: dict[str, dict[str, Any]] = {
    "cooperative": COOP, "person": PERSON, "event": EVENT, "yearly_figures": YEAR,
    "ocop_product": OCOP, "management_position": POSITION, "cadre": CADRE,
    "job_placement": JOB, "support": SUPPORT, "communication": COMMUNICATION, "award": AWARD,
    "plan_status": PLAN,
}


def check(record_kind: str, /, **changes: Any) -> list[FieldError]:
    values = {**BASES[record_kind], **changes}
    return v.validate(record_kind, values, today=TODAY)


@pytest.mark.parametrize("kind", sorted(BASES))
def test_the_base_values_are_valid(kind: str) -> None:
    assert check(kind) == []


def test_public_validators_exist_per_kind() -> None:
    for kind in BASES:
        validator = getattr(v, f"validate_{kind}")
        assert validator(BASES[kind], today=TODAY) == []


# --------------------------------------------------------------------------- one rule each

CASES: list[tuple[str, dict[str, Any], str, str]] = [
    # required fields
    ("cooperative", {"name": "   "}, "name",
     "Hãy nhập tên HTX/THT: thông tin này không được để trống."),
    ("cooperative", {"kind": None}, "kind",
     "Hãy chọn loại hình: thông tin này không được để trống."),
    ("person", {"unit_id": None}, "unit_id",
     "Hãy chọn xã/phường: thông tin này không được để trống."),
    ("event", {"start": None}, "start",
     "Hãy nhập ngày bắt đầu: thông tin này không được để trống."),
    ("cadre", {"person_id": ""}, "person_id",
     "Hãy chọn cán bộ: thông tin này không được để trống."),
    ("award", {"title": None}, "title",
     "Hãy nhập hình thức khen thưởng: thông tin này không được để trống."),
    # types
    ("yearly_figures", {"workers": "mười"}, "workers",
     "Tổng số lao động phải là một số nguyên, ví dụ 12. Hãy nhập lại chỉ bằng chữ số."),
    ("yearly_figures", {"workers": True}, "workers",
     "Tổng số lao động phải là một số nguyên, ví dụ 12. Hãy nhập lại chỉ bằng chữ số."),
    ("cooperative", {"founded_on": "31/02/2020"}, "founded_on",
     "Ngày thành lập không phải là ngày hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, "
     "ví dụ 25/12/2024."),
    ("cooperative", {"digital": "có"}, "digital",
     "Chuyển đổi số chỉ nhận giá trị Có hoặc Không. Hãy chọn lại."),
    ("cooperative", {"name": 12}, "name", "Tên HTX/THT phải là chữ. Hãy nhập lại."),
    ("cooperative", {"name": "x" * 301}, "name",
     "Tên HTX/THT dài 301 ký tự, quá mức cho phép (300 ký tự). Hãy rút gọn lại."),
    ("job_placement", {"person_id": 5}, "person_id",
     "Người lao động không đúng dạng. Hãy chọn lại trong danh sách."),
    ("cooperative", {"sectors": "agriculture"}, "sectors",
     "Lĩnh vực không đúng dạng danh sách. Hãy chọn lại."),
    ("cooperative", {"yearly": [5]}, "yearly[0]",
     "Một dòng của số liệu hằng năm không đúng dạng. Hãy nhập lại dòng đó."),
    # non-negative counts, plausible sizes
    ("yearly_figures", {"members": -1}, "members",
     "Tổng số thành viên (-1) không được là số âm. Hãy nhập 0 hoặc một số lớn hơn."),
    ("support", {"amount_vnd": -5}, "amount_vnd",
     "Số tiền (đồng) (-5) không được là số âm. Hãy nhập 0 hoặc một số lớn hơn."),
    ("communication", {"reach": 10**16}, "reach",
     "Số lượt người được tiếp cận (10000000000000000) lớn bất thường. "
     "Hãy kiểm tra lại số đã nhập."),
    # dates in a plausible range
    ("cooperative", {"founded_on": date(1949, 12, 31)}, "founded_on",
     "Ngày thành lập (31/12/1949) không được trước năm 1950. Hãy kiểm tra lại năm."),
    ("cooperative", {"founded_on": date(2025, 6, 16)}, "founded_on",
     "Ngày thành lập (16/06/2025) không được sau ngày hôm nay (15/06/2025). "
     "Hãy kiểm tra lại ngày."),
    ("award", {"on": date(2025, 7, 1)}, "on",
     "Ngày khen thưởng (01/07/2025) không được sau ngày hôm nay (15/06/2025). "
     "Hãy kiểm tra lại ngày."),
    ("event", {"start": date(2026, 6, 16)}, "start",
     "Ngày bắt đầu (16/06/2026) không được sau ngày 15/06/2026. Hãy kiểm tra lại năm."),
    ("communication", {"on": date(2026, 7, 1)}, "on",
     "Ngày tuyên truyền (01/07/2026) không được sau ngày 15/06/2026. Hãy kiểm tra lại năm."),
    ("management_position", {"end": date(2035, 6, 16)}, "end",
     "Ngày thôi giữ chức vụ (16/06/2035) không được sau ngày 15/06/2035. "
     "Hãy kiểm tra lại năm."),
    # dates in order
    ("management_position", {"start": date(2024, 1, 1), "end": date(2023, 12, 31)}, "end",
     "Ngày thôi giữ chức vụ (31/12/2023) không được trước ngày bắt đầu giữ chức vụ "
     "(01/01/2024). Hãy kiểm tra lại hai ngày này."),
    ("cadre", {"active_from": date(2024, 1, 1), "active_to": date(2023, 1, 1)}, "active_to",
     "Ngày thôi công tác (01/01/2023) không được trước ngày bắt đầu công tác (01/01/2024). "
     "Hãy kiểm tra lại hai ngày này."),
    ("event", {"end": date(2025, 2, 1)}, "end",
     "Ngày kết thúc (01/02/2025) không được trước ngày bắt đầu (01/03/2025). "
     "Hãy kiểm tra lại hai ngày này."),
    ("job_placement", {"end": date(2024, 4, 1)}, "end",
     "Ngày thôi việc (01/04/2024) không được trước ngày bắt đầu làm việc (01/05/2024). "
     "Hãy kiểm tra lại hai ngày này."),
    ("cooperative", {"founded_on": date(2024, 1, 1), "registered_on": date(2023, 1, 1)},
     "registered_on",
     "Ngày đăng ký (01/01/2023) không được trước ngày thành lập (01/01/2024). "
     "Hãy kiểm tra lại hai ngày này."),
    # female ≤ total
    ("yearly_figures", {"workers": 10, "workers_female": 12}, "workers_female",
     "Số lao động nữ (12) không được lớn hơn tổng số lao động (10). "
     "Hãy kiểm tra lại hai số này."),
    ("yearly_figures", {"members": 7, "members_female": 8}, "members_female",
     "Số thành viên nữ (8) không được lớn hơn tổng số thành viên (7). "
     "Hãy kiểm tra lại hai số này."),
    ("yearly_figures", {"members_female": 3, "workers_female": 4, "female_stable_jobs": 8},
     "female_stable_jobs",
     "Số lao động nữ có việc làm ổn định (8) không được lớn hơn tổng số thành viên nữ và "
     "lao động nữ (7). Hãy kiểm tra lại hai số này."),
    ("yearly_figures", {"members_female": 0, "workers_female": 2,
                        "female_ethnic_minority": 3}, "female_ethnic_minority",
     "Số lao động nữ dân tộc thiểu số (3) không được lớn hơn tổng số thành viên nữ và "
     "lao động nữ (2). Hãy kiểm tra lại hai số này."),
    ("yearly_figures", {"members_female": 1, "workers_female": 1, "new_female_jobs": 3},
     "new_female_jobs",
     "Số việc làm mới cho phụ nữ trong năm (3) không được lớn hơn tổng số thành viên nữ và "
     "lao động nữ (2). Hãy kiểm tra lại hai số này."),
    ("yearly_figures", {"year": 2026}, "year",
     "Năm của số liệu (2026) phải từ 1950 đến 2025. Hãy kiểm tra lại năm."),
    # counted participants: each category ≤ total
    ("event", {"count_total": 3, "count_female": 5}, "count_female",
     "Số người tham dự là nữ (5) không được lớn hơn tổng số người tham dự (3). "
     "Hãy kiểm tra lại hai số này."),
    ("event", {"counts": {"total": 10, "cadres": 11}}, "count_cadres",
     "Số người tham dự là cán bộ Hội (11) không được lớn hơn tổng số người tham dự (10). "
     "Hãy kiểm tra lại hai số này."),
    ("event", {"attendance": [{"person_id": "a"}, {"person_id": "a", "role": "cadre"}]},
     "attendance[1].person_id",
     "Một người chỉ được ghi một lần trong danh sách tham dự. Hãy bỏ dòng trùng."),
    ("event", {"funding": [{"source": "state_budget"}]}, "funding[0].amount_vnd",
     "Hãy nhập số tiền (đồng): thông tin này không được để trống."),
    # tax code
    ("cooperative", {"tax_code": "0100233480"}, "tax_code",
     "Mã số thuế «0100233480» sai chữ số kiểm tra (chữ số thứ 10), có thể do gõ nhầm. "
     "Hãy đối chiếu với giấy chứng nhận đăng ký."),
    ("cooperative", {"tax_code": "12345"}, "tax_code",
     "Mã số thuế «12345» không đúng dạng: cần 10 chữ số, hoặc 13 chữ số với mã chi nhánh "
     "(ví dụ 0100233488-001). Hãy đối chiếu với giấy chứng nhận đăng ký."),
    ("cooperative", {"tax_code": "0100233488-000"}, "tax_code",
     "Mã số thuế «0100233488-000» không đúng dạng: cần 10 chữ số, hoặc 13 chữ số với mã "
     "chi nhánh (ví dụ 0100233488-001). Hãy đối chiếu với giấy chứng nhận đăng ký."),
    # people
    ("person", {"birth_year": 1929}, "birth_year",
     "Năm sinh (1929) phải từ 1930 đến 2010. Hãy kiểm tra lại năm."),
    ("person", {"birth_year": 2011}, "birth_year",
     "Năm sinh (2011) phải từ 1930 đến 2010. Hãy kiểm tra lại năm."),
    ("person", {"phone": "0912 345 67"}, "phone",
     "Số điện thoại «0912 345 67» không hợp lệ: cần 10 chữ số, bắt đầu bằng số 0 "
     "(ví dụ 0912 345 678). Hãy kiểm tra lại."),
    ("person", {"phone": "1912345678"}, "phone",
     "Số điện thoại «1912345678» không hợp lệ: cần 10 chữ số, bắt đầu bằng số 0 "
     "(ví dụ 0912 345 678). Hãy kiểm tra lại."),
    ("person", {"id_number": "1234"}, "id_number",
     "Số CCCD/CMND «1234» không hợp lệ: cần 12 chữ số (CCCD) hoặc 9 chữ số (CMND). "
     "Hãy kiểm tra lại."),
    ("person", {"ethnicity_code": "55"}, "ethnicity_code",
     "Mã dân tộc «55» không hợp lệ: cần mã từ 01 đến 54. Hãy chọn lại dân tộc."),
    # catalogue codes
    ("cooperative", {"kind": "hợp tác xã"}, "kind",
     "Loại hình «hợp tác xã» không có trong danh sách. Hãy chọn một trong: HTX; THT; "
     "Liên hiệp HTX."),
    ("cooperative", {"status": "closed"}, "status",
     "Trạng thái «closed» không có trong danh sách. Hãy chọn một trong: Đang hoạt động; "
     "Tạm ngừng hoạt động; Đã giải thể; Đã chuyển thành HTX."),
    ("cooperative", {"sectors": ["agriculture", "fishing"]}, "sectors",
     "Lĩnh vực «fishing» không có trong danh sách. Hãy chọn một trong: Nông nghiệp; "
     "Dệt, thủ công mỹ nghệ; May mặc; Chế biến; Du lịch cộng đồng; Thương mại, dịch vụ; "
     "Lĩnh vực khác."),
    ("management_position", {"position": "president"}, "position",
     "Chức vụ «president» không có trong danh sách. Hãy chọn một trong: Chủ tịch HĐQT; "
     "Thành viên HĐQT; Giám đốc; Tổng Giám đốc; Trưởng Ban kiểm soát; "
     "Thành viên Ban kiểm soát; Kiểm soát viên; Kế toán; Tổ trưởng THT."),
    ("person", {"gender": "f"}, "gender",
     "Giới tính «f» không có trong danh sách. Hãy chọn một trong: Nữ; Nam; Khác."),
    ("event", {"type": "hop"}, "type",
     "Loại hoạt động «hop» không có trong danh sách. Hãy chọn một trong: Tập huấn; Hội nghị; "
     "Hội thảo; Tham quan học tập; Đào tạo nghề; Diễn đàn; Hội thi; "
     "Dự lớp do đơn vị khác tổ chức."),
    ("event", {"topics": ["ocop", "cooking"]}, "topics",
     "Chủ đề «cooking» không có trong danh sách. Hãy chọn một trong: "
     "Quản trị, xây dựng phương án kinh doanh; Quản trị tài chính; Chuyển đổi số; "
     "Thương mại điện tử; Khởi sự kinh doanh; Chuyển giao khoa học kỹ thuật; OCOP; "
     "Xúc tiến, quảng bá sản phẩm; Thương hiệu, sở hữu trí tuệ; Bình đẳng giới; "
     "Kỹ năng tuyên truyền, vận động; Kiến thức về KTTT, HTX; "
     "Đào tạo nghề phi nông nghiệp; Chủ đề khác."),
    ("event", {"funding": [{"source": "bank", "amount_vnd": 1}]}, "funding[0].source",
     "Nguồn kinh phí «bank» không có trong danh sách. Hãy chọn một trong: "
     "Ngân sách nhà nước; Chương trình mục tiêu quốc gia; Vốn tín dụng; Doanh nghiệp, HTX; "
     "Tổ chức quốc tế; Nguồn khác."),
    ("support", {"kind": "money"}, "kind",
     "Hình thức hỗ trợ «money» không có trong danh sách. Hãy chọn một trong: "
     "Tư vấn pháp lý, thủ tục thành lập; Xây dựng phương án kinh doanh; "
     "Tiếp cận vốn tín dụng; Hội chợ, triển lãm; Đưa sản phẩm lên sàn TMĐT; "
     "Máy móc, thiết bị; Công nghệ 4.0, chuyển đổi số; Nhãn hiệu; Truy xuất nguồn gốc; "
     "Sở hữu trí tuệ; OCOP; Liên kết chuỗi giá trị; Kết nối tiêu thụ; Tham quan học tập."),
    ("communication", {"form": "radio"}, "form",
     "Hình thức tuyên truyền «radio» không có trong danh sách. Hãy chọn một trong: "
     "Hội nghị tuyên truyền; Tin, bài báo; Phóng sự truyền hình; Mạng xã hội; "
     "Sổ tay, tài liệu; Trang thông tin điện tử."),
    ("plan_status", {"status": "late"}, "status",
     "Tình hình thực hiện «late» không có trong danh sách. Hãy chọn một trong: "
     "Chưa triển khai; Đang triển khai; Đã hoàn thành."),
    ("plan_status", {"year": 2022}, "year",
     "Năm (2022) phải từ 2023 đến 2030. Hãy kiểm tra lại năm."),
    # status rules
    ("cooperative", {"status": "dissolved"}, "status_on",
     "Trạng thái «Đã giải thể» cần có ngày chuyển trạng thái. "
     "Hãy nhập ngày chuyển trạng thái."),
    ("cooperative", {"status": "suspended"}, "status_on",
     "Trạng thái «Tạm ngừng hoạt động» cần có ngày chuyển trạng thái. "
     "Hãy nhập ngày chuyển trạng thái."),
    ("cooperative", {"kind": "tht", "status": "converted", "status_on": date(2024, 1, 1)},
     "converted_to_id",
     "Trạng thái «Đã chuyển thành HTX» cần biết HTX mà THT đã chuyển thành. Hãy chọn HTX đó."),
    ("cooperative", {"status": "converted", "status_on": date(2024, 1, 1),
                     "converted_to_id": "c2"}, "status",
     "Chỉ THT mới có trạng thái «Đã chuyển thành HTX». "
     "Hãy chọn trạng thái khác hoặc đổi loại hình thành THT."),
    ("cooperative", {"many_jobs_override": False}, "many_jobs_reason",
     "Hãy ghi lý do khi tự xác định HTX có tạo nhiều việc làm cho phụ nữ hay không "
     "(thay cho quy tắc chung của tỉnh)."),
    # OCOP
    ("ocop_product", {"stars": 2}, "stars",
     "Số sao OCOP (2) phải là 3, 4 hoặc 5. Hãy chọn lại số sao."),
    ("ocop_product", {"stars": 6}, "stars",
     "Số sao OCOP (6) phải là 3, 4 hoặc 5. Hãy chọn lại số sao."),
    ("ocop_product", {"year": 2017}, "year",
     "Năm công nhận OCOP (2017) phải từ 2018 đến 2025. Hãy kiểm tra lại năm."),
    # nested lists inside a cooperative carry their path
    ("cooperative", {"yearly": [{"year": 2023, "workers": 1, "workers_female": 2}]},
     "yearly[0].workers_female",
     "Số lao động nữ (2) không được lớn hơn tổng số lao động (1). "
     "Hãy kiểm tra lại hai số này."),
    ("cooperative", {"yearly": [{"year": 2023}, {"year": "2023"}]}, "yearly[1].year",
     "Số liệu năm 2023 được nhập nhiều lần. Hãy gộp lại thành một dòng cho mỗi năm."),
    ("cooperative", {"ocop_products": [{"product": "Chè", "stars": 7, "year": 2020}]},
     "ocop_products[0].stars",
     "Số sao OCOP (7) phải là 3, 4 hoặc 5. Hãy chọn lại số sao."),
    ("cooperative", {"positions": [{"person_id": "p", "position": "director",
                                    "start": date(2022, 1, 1), "end": date(2021, 1, 1)}]},
     "positions[0].end",
     "Ngày thôi giữ chức vụ (01/01/2021) không được trước ngày bắt đầu giữ chức vụ "
     "(01/01/2022). Hãy kiểm tra lại hai ngày này."),
]


@pytest.mark.parametrize(("kind", "changes", "field", "message"), CASES,
                         ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)])
def test_rule(kind: str, changes: dict[str, Any], field: str, message: str) -> None:
    assert check(kind, **changes) == [FieldError(field, message)]


# --------------------------------------------------------------------------- accepted forms


def test_a_tht_without_tax_code_and_an_htx_with_a_branch_code_pass() -> None:
    assert check("cooperative", kind="tht") == []
    assert check("cooperative", tax_code="0314409058-002") == []
    # Unusual but not wrong: a THT with a (valid) tax code.
    assert check("cooperative", kind="tht", tax_code="0100233488") == []


def test_converted_tht_with_date_and_target_passes() -> None:
    assert check("cooperative", kind="tht", status="converted", status_on=date(2024, 1, 1),
                 converted_to_id="c2") == []


def test_override_with_reason_passes() -> None:
    assert check("cooperative", many_jobs_override=True,
                 many_jobs_reason="Theo khảo sát của Hội") == []


def test_female_sum_rules_apply_only_when_both_female_counts_are_known() -> None:
    assert check("yearly_figures", workers_female=4, female_stable_jobs=9) == []


def test_dates_plan_ahead_up_to_a_year() -> None:
    assert check("event", start=date(2026, 6, 15)) == []


def test_ocop_boundaries() -> None:
    assert check("ocop_product", stars=3, year=2018) == []
    assert check("ocop_product", stars=5, year=2025) == []


def test_birth_year_boundaries() -> None:
    assert check("person", birth_year=1930) == []
    assert check("person", birth_year=2010) == []


# --------------------------------------------------------------------------- cleaning


def test_clean_normalises_text_numbers_dates_phone_and_tax_code() -> None:
    decomposed = unicodedata.normalize("NFD", "  HTX Chè Tân Cương  ")
    values = clean("cooperative", {
        **COOP, "name": decomposed, "village": "   ", "founded_on": "25/12/2020",
        "registered_on": "2021-01-05", "tax_code": " 0100.233.488 ",
        "sectors": ["Agriculture", " trade", "agriculture"],
        "yearly": [{"year": "2024", "revenue_vnd": "1.500.000", "workers": 12.0}],
    })
    assert values["name"] == unicodedata.normalize("NFC", "HTX Chè Tân Cương")
    assert values["village"] is None
    assert values["founded_on"] == date(2020, 12, 25)
    assert values["registered_on"] == date(2021, 1, 5)
    assert values["tax_code"] == "0100233488"
    assert values["sectors"] == ["agriculture", "trade"]
    assert values["yearly"] == [{"year": 2024, "revenue_vnd": 1_500_000, "workers": 12}]
    assert clean("cooperative", {"tax_code": "0314409058 002"})["tax_code"] == "0314409058-002"


@pytest.mark.parametrize("typed", ["0912 345 678", "0912.345.678", "+84 912 345 678",
                                   "84912345678", "(0912) 345-678"])
def test_phone_forms_are_normalised(typed: str) -> None:
    assert clean("person", {"phone": typed})["phone"] == "0912345678"
    assert check("person", phone=typed) == []


def test_ethnicity_single_digit_is_padded() -> None:
    assert clean("person", {"ethnicity_code": "5"})["ethnicity_code"] == "05"


def test_event_counts_mapping_becomes_columns() -> None:
    values = clean("event", {**EVENT, "counts": {"total": 30, "female": "25"}})
    assert "counts" not in values
    assert values["count_total"] == 30
    assert values["count_female"] == 25


def test_validation_error_carries_the_errors_and_joins_the_messages() -> None:
    errors = check("yearly_figures", workers=1, workers_female=2, members=-1)
    error = ValidationError(errors)
    assert error.errors == errors
    assert str(error) == "\n".join(e.message for e in errors)
    assert len(errors) == 2


def test_several_problems_are_all_reported() -> None:
    errors = v.validate_cooperative({"kind": "x", "tax_code": "1"}, today=TODAY)
    assert {e.field for e in errors} == {"unit_id", "name", "kind", "tax_code"}


def test_non_mapping_input_is_an_error_not_an_exception() -> None:
    errors = v.validate_person([1, 2], today=TODAY)  # type: ignore[arg-type]
    assert len(errors) == 1
    assert errors[0].message == "Một dòng của bản ghi không đúng dạng. Hãy nhập lại dòng đó."


def test_a_unit_id_beyond_64_bits_is_refused_not_overflowed() -> None:
    """Found by the hostile-input property test: such an id reached SQLite and overflowed."""
    from datetime import date as _date

    from htx_desktop.domain.validation import validate as _validate

    errors = _validate("communication", {"unit_id": 2**70, "on": _date(2024, 1, 1),
                                         "form": "news", "topic": "x"}, today=_date(2025, 1, 1))
    assert [e.field for e in errors] == ["unit_id"]
