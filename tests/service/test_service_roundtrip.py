"""Every record kind saved with all its fields reads back equal; nested sets are replaced."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from htx_desktop.domain.validation import ValidationError
from htx_desktop.store.models import CooperativeSector, CooperativeYear, Unit
from htx_desktop.store.service import RecordService


def make_person(service: RecordService, unit: Unit, name: str = "Lò Thị Mai",
                **extra: Any) -> Any:
    return service.create("person", {"unit_id": unit.id, "full_name": name, **extra})


def make_coop(service: RecordService, unit: Unit, name: str = "HTX Chè Tân Cương",
              **extra: Any) -> Any:
    return service.create("cooperative", {"unit_id": unit.id, "kind": "htx", "name": name,
                                           **extra})


def full_values(service: RecordService, province: Unit, commune: Unit) -> dict[str, dict[str, Any]]:
    """One record of each kind with every field set (already in stored form)."""
    person = make_person(service, commune, "Hà Thị Hồng")
    htx = make_coop(service, commune, "HTX Dệt thổ cẩm", tax_code="0100233488")
    event = service.create("event", {"unit_id": province.id, "type": "dao_tao_nghe",
                                     "title": "Lớp dệt", "start": date(2024, 3, 1)})
    return {
        "person": {
            "unit_id": commune.id, "full_name": "Nguyễn Thị Hoà", "gender": "female",
            "birth_year": 1985, "ethnicity_code": "02", "village": "Xóm Đồng",
            "phone": "0912345678", "id_number": "019185000123", "poor": True,
            "near_poor": False, "ethnic_minority": True, "disability": False,
            "reintegrated": False, "trafficking_victim": True,
            "domestic_violence_victim": False, "sexual_abuse_victim": False,
            "unsafe_migrant": True, "laid_off_worker": False, "note": "Ghi chú",
        },
        "cooperative": {
            "unit_id": commune.id, "kind": "tht", "name": "THT Chè Đồng Hỷ",
            "tax_code": None, "village": "Xóm 3", "founded_on": date(2019, 4, 1),
            "registered_on": date(2019, 5, 2), "status": "converted",
            "status_on": date(2024, 2, 1), "converted_to_id": htx.id,
            "main_products": "Chè búp khô", "union_supported": True,
            "union_supported_on": date(2019, 3, 1), "union_support_level": "huyen",
            "value_chain": True, "science_tech": True, "digital": False, "ecommerce": True,
            "trademark": True, "traceability": False, "ip_registered": True,
            "ethnic_pilot_model": True, "many_jobs_override": True,
            "many_jobs_reason": "Hội khảo sát năm 2024", "note": "Ghi chú",
            "sectors": ["agriculture", "processing"],
            "yearly": [
                {"year": 2023, "members": 20, "members_female": 15, "workers": 30,
                 "workers_female": 22, "female_stable_jobs": 18,
                 "female_ethnic_minority": 9, "new_female_jobs": 4,
                 "revenue_vnd": 2_200_000_000, "avg_monthly_income_vnd": 5_500_000,
                 "source": "alliance"},
                {"year": 2024, "members": 22, "members_female": 16, "workers": 31,
                 "workers_female": 23, "female_stable_jobs": 20,
                 "female_ethnic_minority": 10, "new_female_jobs": 2,
                 "revenue_vnd": 2_500_000_000, "avg_monthly_income_vnd": 6_000_000,
                 "source": "cooperative"},
            ],
            "ocop_products": [{"product": "Chè búp", "stars": 4, "year": 2022}],
            "positions": [{"person_id": person.id, "position": "group_leader",
                           "start": date(2019, 4, 1), "end": date(2024, 2, 1)}],
        },
        "cadre": {
            "unit_id": commune.id, "person_id": person.id, "level": "xa",
            "position": "Chủ tịch Hội LHPN xã", "kttt_assigned": True,
            "active_from": date(2021, 1, 1), "active_to": date(2026, 12, 31),
        },
        "event": {
            "unit_id": province.id, "type": "tap_huan", "title": "Tập huấn chuyển đổi số",
            "start": date(2024, 9, 10), "end": date(2024, 9, 11), "place": "Hội trường tỉnh",
            "lead_unit": "Hội LHPN tỉnh", "co_organisers": "Liên minh HTX tỉnh",
            "plan_line": "II.2", "count_total": 40, "count_female": 35,
            "count_ethnic_minority": 12, "count_htx_managers": 10,
            "count_members_workers": 20, "count_cadres": 8, "count_union_members": 15,
            "note": "Ghi chú", "topics": ["digital", "ecommerce"],
            "funding": [{"source": "enterprise", "amount_vnd": 5_000_000},
                        {"source": "state_budget", "amount_vnd": 20_000_000}],
            "attendance": [{"person_id": person.id, "role": "htx_manager"}],
        },
        "job_placement": {
            "unit_id": commune.id, "person_id": person.id, "cooperative_id": htx.id,
            "start": date(2024, 6, 1), "end": date(2025, 5, 31), "role": "member",
            "new_job": True, "stable": False, "training_event_id": event.id,
            "monthly_income_vnd": 5_000_000,
        },
        "support": {
            "unit_id": commune.id, "cooperative_id": htx.id, "kind": "credit",
            "on": date(2024, 7, 1), "provider": "Hội LHPN huyện",
            "lender": "Ngân hàng CSXH", "amount_vnd": 100_000_000, "plan_line": "III.1",
            "note": "Vay ưu đãi",
        },
        "communication": {
            "unit_id": province.id, "on": date(2024, 8, 1), "form": "tv",
            "topic": "Phụ nữ làm HTX", "reach": 12_000, "plan_line": "II.1", "note": "VTV",
        },
        "award": {
            "unit_id": province.id, "recipient": "Hà Thị Hồng", "person_id": person.id,
            "cooperative_id": htx.id, "title": "Bằng khen", "level": "tinh",
            "on": date(2024, 12, 20),
        },
        "plan_status": {
            "unit_id": province.id, "line_code": "II.2", "year": 2024, "status": "done",
            "result": "Đã tổ chức 3 lớp",
        },
    }


@pytest.mark.parametrize("kind", ["person", "cooperative", "cadre", "event", "job_placement",
                                  "support", "communication", "award", "plan_status"])
def test_every_kind_round_trips(kind: str, service: RecordService, session: Session,
                                province: Unit, commune: Unit) -> None:
    values = full_values(service, province, commune)[kind]
    obj = service.create(kind, values)
    record_id = obj.id
    session.expire_all()
    assert service.snapshot(kind, record_id) == values
    assert service.get(kind, record_id) is not None


def test_search_keys_are_folded(service: RecordService, commune: Unit) -> None:
    coop = make_coop(service, commune, "  HTX  Chè Tân Cương ")
    assert coop.name == "HTX  Chè Tân Cương"
    assert coop.name_key == "htx che tan cuong"
    person = make_person(service, commune, "Đỗ Thị Ánh")
    assert person.name_key == "do thi anh"
    event = service.create("event", {"unit_id": commune.id, "type": "hoi_nghi",
                                     "title": "Hội nghị Đề án", "start": "01/02/2025"})
    assert event.title_key == "hoi nghi de an"


def test_defaults_fill_what_is_not_given(service: RecordService, commune: Unit) -> None:
    coop = make_coop(service, commune)
    assert (coop.status, coop.union_supported, coop.many_jobs_override) == ("active", False,
                                                                          None)
    event = service.create("event", {"unit_id": commune.id, "type": "hoi_nghi",
                                     "title": "Hội nghị", "start": date(2025, 1, 2),
                                     "counts": {"total": 9}})
    assert (event.count_total, event.count_female) == (9, 0)


def test_update_replaces_nested_sets_keeping_rows_that_stay(
        service: RecordService, session: Session, commune: Unit) -> None:
    coop = make_coop(service, commune, sectors=["agriculture", "trade"],
                     yearly=[{"year": 2023, "workers": 5}, {"year": 2024, "workers": 6}])
    year_ids = {y.year: y.id for y in coop.yearly}
    version = coop.row_version
    service.update("cooperative", coop.id, {
        "sectors": ["trade", "tourism"],
        "yearly": [{"year": 2024, "workers": 8, "workers_female": 3}, {"year": 2025}],
    }, row_version=version)
    session.expire_all()
    snap = service.snapshot("cooperative", coop.id)
    assert snap["sectors"] == ["tourism", "trade"]
    assert [(y["year"], y["workers"]) for y in snap["yearly"]] == [(2024, 8), (2025, None)]
    assert {y.year: y.id for y in coop.yearly}[2024] == year_ids[2024]
    assert coop.row_version == version + 1  # nested-only changes still move the version
    assert session.scalar(select(func.count()).select_from(CooperativeSector)
                          .where(CooperativeSector.cooperative_id == coop.id)) == 2
    assert session.scalar(select(func.count()).select_from(CooperativeYear)
                          .where(CooperativeYear.cooperative_id == coop.id)) == 2


def test_event_attendance_and_topics_update(service: RecordService, session: Session,
                                            commune: Unit) -> None:
    a, b = make_person(service, commune, "A"), make_person(service, commune, "B")
    event = service.create("event", {"unit_id": commune.id, "type": "tap_huan", "title": "T",
                                     "start": date(2025, 1, 2), "topics": ["ocop"],
                                     "attendance": [{"person_id": a.id}]})
    service.update("event", event.id, {"attendance": [{"person_id": a.id, "role": "cadre"},
                                                      {"person_id": b.id}],
                                       "topics": ["ocop", "management"]})
    session.expire_all()
    snap = service.snapshot("event", event.id)
    assert snap["topics"] == ["management", "ocop"]
    assert sorted((x["person_id"], x["role"]) for x in snap["attendance"]) == sorted(
        [(a.id, "cadre"), (b.id, "other")])


def test_update_without_changes_writes_nothing(service: RecordService, commune: Unit) -> None:
    coop = make_coop(service, commune, sectors=["agriculture"])
    version = coop.row_version
    service.update("cooperative", coop.id, {"name": "HTX Chè Tân Cương",
                                            "sectors": ["agriculture"]})
    assert coop.row_version == version
    assert [e.action for e in service.history("cooperative", coop.id)] == ["create"]


def test_unknown_keys_are_a_programming_error(service: RecordService, commune: Unit) -> None:
    with pytest.raises(ValueError, match="unknown fields"):
        service.create("person", {"unit_id": commune.id, "full_name": "A", "fullname": "B"})


def test_validation_error_leaves_the_session_unchanged(
        service: RecordService, session: Session, commune: Unit) -> None:
    coop = make_coop(service, commune)
    session.flush()
    with pytest.raises(ValidationError) as caught:
        service.create("cooperative", {"unit_id": commune.id, "kind": "htx", "name": "B",
                                       "yearly": [{"year": 2024, "workers": 1,
                                                   "workers_female": 2}]})
    assert caught.value.errors[0].field == "yearly[0].workers_female"
    with pytest.raises(ValidationError):
        service.update("cooperative", coop.id, {"name": "C", "tax_code": "123"})
    assert not session.new and not session.dirty and not session.deleted
    assert coop.name == "HTX Chè Tân Cương"


REFERENCE_CASES = [
    ("cooperative", "unit_id", "province",
     "HTX/THT phải thuộc một xã/phường. Hãy chọn xã/phường nơi HTX/THT đặt trụ sở."),
    ("person", "unit_id", 999_999,
     "Không tìm thấy xã/phường đã chọn (có thể đã bị xóa). Hãy chọn lại trong danh sách."),
    ("cadre", "person_id", "no-such-id",
     "Không tìm thấy cán bộ đã chọn (có thể đã bị xóa). Hãy chọn lại trong danh sách."),
    ("support", "plan_line", "IX.9",
     "Không có dòng kế hoạch «IX.9» trong Phụ lục. Hãy chọn một dòng trong danh sách, "
     "ví dụ II.2."),
    ("person", "ethnicity_code", "54",
     None),  # 54 (Rơ Măm) exists: no error
]


@pytest.mark.parametrize(("kind", "field", "value", "message"), REFERENCE_CASES)
def test_references_are_checked(kind: str, field: str, value: Any, message: str | None,
                                service: RecordService, province: Unit, commune: Unit) -> None:
    values = full_values(service, province, commune)[kind]
    values[field] = province.id if value == "province" else value
    if message is None:
        service.create(kind, values)
        return
    with pytest.raises(ValidationError) as caught:
        service.create(kind, values)
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, message)]


def test_converted_to_must_be_another_htx(service: RecordService, commune: Unit) -> None:
    tht = make_coop(service, commune, "THT Rau", kind="tht")
    with pytest.raises(ValidationError) as caught:
        service.update("cooperative", tht.id, {"status": "converted",
                                               "status_on": date(2025, 1, 1),
                                               "converted_to_id": tht.id})
    assert caught.value.errors[0].message == (
        "HTX mà THT đã chuyển thành phải là một HTX khác, không phải THT hay chính bản ghi "
        "này. Hãy chọn lại.")


def test_a_deleted_person_cannot_be_chosen(service: RecordService, commune: Unit) -> None:
    person = make_person(service, commune)
    service.delete("person", person.id)
    with pytest.raises(ValidationError) as caught:
        make_coop(service, commune, positions=[{"person_id": person.id, "position": "chair"}])
    assert caught.value.errors[0].field == "positions[0].person_id"
