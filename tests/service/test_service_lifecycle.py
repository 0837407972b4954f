"""Duplicates, the audit log, the trash and optimistic locking."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from sqlalchemy.orm import Session

from htx_desktop.store.engine import Database
from htx_desktop.store.models import Unit
from htx_desktop.store.service import (
    ConflictError,
    DuplicateError,
    NotFoundError,
    RecordService,
)

OFFICER = "Nguyễn Thị Lan"  # as in conftest.py
TODAY = date(2025, 6, 15)
NAME = "HTX Chè Tân Cương"


# --------------------------------------------------------------------------- duplicates


def test_nfd_name_in_the_same_commune_is_a_duplicate(service: RecordService,
                                                      commune: Unit) -> None:
    first = service.create("cooperative", {"unit_id": commune.id, "kind": "htx", "name": NAME})
    typed = {"unit_id": commune.id, "kind": "htx",
             "name": unicodedata.normalize("NFD", NAME)}
    assert typed["name"] != NAME
    assert service.duplicates("cooperative", typed) == [first]
    assert service.duplicates("cooperative", {**typed, "name": "htx  CHE tan cuong"}) == [first]
    with pytest.raises(DuplicateError) as caught:
        service.create("cooperative", typed)
    assert caught.value.matches == [first]
    assert str(caught.value) == (
        "Đã có bản ghi giống bản ghi này: HTX Chè Tân Cương. Hãy mở bản ghi đã có thay vì "
        "nhập lại; nếu đúng là hai bản ghi khác nhau, hãy xác nhận để vẫn lưu.")
    second = service.create("cooperative", typed, allow_duplicate=True)
    assert second.name == NAME  # stored NFC


def test_same_name_in_another_commune_is_not_a_duplicate(service: RecordService,
                                                         communes: list[Unit]) -> None:
    service.create("cooperative", {"unit_id": communes[0].id, "kind": "htx", "name": NAME})
    assert service.duplicates("cooperative", {"unit_id": communes[1].id, "name": NAME}) == []


def test_same_tax_code_anywhere_is_a_duplicate(service: RecordService,
                                               communes: list[Unit]) -> None:
    first = service.create("cooperative", {"unit_id": communes[0].id, "kind": "htx",
                                           "name": "HTX A", "tax_code": "0100233488"})
    other = {"unit_id": communes[1].id, "kind": "htx", "name": "HTX B",
             "tax_code": "0100 233 488"}
    assert service.duplicates("cooperative", other) == [first]
    with pytest.raises(DuplicateError):
        service.create("cooperative", other)


def test_deleted_records_are_not_duplicates(service: RecordService, commune: Unit) -> None:
    first = service.create("cooperative", {"unit_id": commune.id, "kind": "htx", "name": NAME})
    service.delete("cooperative", first.id)
    assert service.duplicates("cooperative", {"unit_id": commune.id, "name": NAME}) == []


def test_people_match_on_name_birth_year_and_commune(service: RecordService,
                                                     communes: list[Unit]) -> None:
    here = communes[0].id
    mai = service.create("person", {"unit_id": here, "full_name": "Lò Thị Mai",
                                    "birth_year": 1990})
    nfd = unicodedata.normalize("NFD", "Lò Thị Mai")
    assert service.duplicates("person", {"unit_id": here, "full_name": nfd,
                                         "birth_year": 1990}) == [mai]
    assert service.duplicates("person", {"unit_id": here, "full_name": nfd}) == [mai]
    assert service.duplicates("person", {"unit_id": here, "full_name": nfd,
                                         "birth_year": 1991}) == []
    assert service.duplicates("person", {"unit_id": communes[1].id, "full_name": nfd,
                                         "birth_year": 1990}) == []
    with pytest.raises(DuplicateError):
        service.create("person", {"unit_id": here, "full_name": nfd, "birth_year": 1990})


def test_update_into_a_duplicate_is_refused(service: RecordService, commune: Unit) -> None:
    service.create("cooperative", {"unit_id": commune.id, "kind": "htx", "name": NAME})
    other = service.create("cooperative", {"unit_id": commune.id, "kind": "htx",
                                           "name": "HTX Khác"})
    with pytest.raises(DuplicateError):
        service.update("cooperative", other.id, {"name": NAME})
    service.update("cooperative", other.id, {"name": NAME}, allow_duplicate=True)


def test_one_plan_status_per_line_and_year(service: RecordService, province: Unit) -> None:
    values = {"unit_id": province.id, "line_code": "II.2", "year": 2024, "status": "done"}
    first = service.create("plan_status", values)
    with pytest.raises(DuplicateError) as caught:
        service.create("plan_status", values, allow_duplicate=True)
    assert str(caught.value) == ("Đã có tình hình thực hiện dòng kế hoạch II.2 năm 2024. "
                                 "Hãy sửa bản ghi đó thay vì tạo mới.")
    service.delete("plan_status", first.id)
    with pytest.raises(DuplicateError) as caught:
        service.create("plan_status", values)
    assert str(caught.value) == ("Tình hình thực hiện dòng kế hoạch II.2 năm 2024 đang ở "
                                 "thùng rác. Hãy khôi phục bản ghi đó rồi sửa.")


# --------------------------------------------------------------------------- audit log


def test_create_update_delete_restore_leave_four_audit_entries(
        service: RecordService, commune: Unit) -> None:
    coop = service.create("cooperative", {"unit_id": commune.id, "kind": "htx", "name": NAME,
                                          "founded_on": date(2020, 1, 2),
                                          "sectors": ["agriculture"]})
    service.update("cooperative", coop.id, {"founded_on": "03/01/2020", "digital": True,
                                            "sectors": ["agriculture", "trade"]},
                   reason="Sửa theo giấy chứng nhận")
    service.delete("cooperative", coop.id, reason="Nhập trùng")
    service.restore("cooperative", coop.id)

    entries = service.history("cooperative", coop.id)
    assert [e.action for e in entries] == ["create", "update", "delete", "restore"]
    assert all(e.officer == OFFICER and e.table_name == "cooperatives" for e in entries)
    created = entries[0].changes
    assert created["name"] == [None, NAME]
    assert created["founded_on"] == [None, "2020-01-02"]
    assert created["sectors"] == [None, ["agriculture"]]
    assert created["kind"] == [None, "htx"]
    assert "tax_code" not in created  # nothing typed, nothing logged
    assert entries[1].changes == {
        "founded_on": ["2020-01-02", "2020-01-03"],
        "digital": [False, True],
        "sectors": [["agriculture"], ["agriculture", "trade"]],
    }
    assert entries[1].reason == "Sửa theo giấy chứng nhận"
    assert entries[2].changes == {} and entries[2].reason == "Nhập trùng"
    assert entries[3].changes == {}


def test_nested_diff_is_logged_as_lists(service: RecordService, commune: Unit) -> None:
    coop = service.create("cooperative", {"unit_id": commune.id, "kind": "htx", "name": NAME,
                                          "ocop_products": [{"product": "Chè", "stars": 3,
                                                             "year": 2021}]})
    service.update("cooperative", coop.id, {"ocop_products": [{"product": "Chè", "stars": 4,
                                                               "year": 2021}]})
    diff = service.history("cooperative", coop.id)[1].changes
    assert diff == {"ocop_products": [[{"product": "Chè", "stars": 3, "year": 2021}],
                                      [{"product": "Chè", "stars": 4, "year": 2021}]]}


# --------------------------------------------------------------------------- trash


def test_deleted_records_leave_the_lists_and_restore_brings_them_back(
        service: RecordService, commune: Unit) -> None:
    keep = service.create("person", {"unit_id": commune.id, "full_name": "Hoa"})
    gone = service.create("person", {"unit_id": commune.id, "full_name": "Lan"})
    service.delete("person", gone.id)
    assert service.list_records("person", [commune.id]) == [keep]
    assert service.list_trash("person") == [gone]
    assert service.get("person", gone.id) is None
    assert service.get("person", gone.id, include_deleted=True) == gone
    with pytest.raises(NotFoundError) as caught:
        service.update("person", gone.id, {"full_name": "Lan Anh"})
    assert str(caught.value) == "Bản ghi «Lan» đang ở thùng rác. Hãy khôi phục nó trước khi sửa."

    service.restore("person", gone.id)
    assert service.list_records("person", [commune.id]) == [keep, gone]
    assert service.list_trash("person") == []


def test_missing_record(service: RecordService) -> None:
    with pytest.raises(NotFoundError) as caught:
        service.delete("award", "no-such-id")
    assert str(caught.value) == ("Không tìm thấy bản ghi này (có thể đã bị xóa hẳn). "
                                 "Hãy tải lại danh sách.")


# --------------------------------------------------------------------------- locking


def test_a_stale_update_is_refused_naming_who_changed_it(db: Database) -> None:
    with db.session() as s:
        from htx_desktop.store.reference import descendant_units, find_unit

        province = find_unit(s, "19")
        assert province is not None
        commune = next(u for u in descendant_units(s, province.id) if u.level == "xa")
        coop = RecordService(s, OFFICER, TODAY).create(
            "cooperative", {"unit_id": commune.id, "kind": "htx", "name": NAME})
        coop_id, opened_version = coop.id, coop.row_version

    with db.session() as s:  # a colleague saves first
        RecordService(s, "Trần Văn Bình", TODAY).update(
            "cooperative", coop_id, {"village": "Xóm 5"}, row_version=opened_version)

    with db.session() as s, pytest.raises(ConflictError) as caught:
        RecordService(s, OFFICER, TODAY).update(
            "cooperative", coop_id, {"village": "Xóm 6"}, row_version=opened_version)
    message = str(caught.value)
    assert message.startswith("Bản ghi «HTX Chè Tân Cương» đã được Trần Văn Bình sửa lúc ")
    assert message.endswith("sau khi bạn mở nó. Hãy mở lại bản ghi để xem nội dung mới "
                            "rồi sửa lại.")

    with db.session() as s:
        service = RecordService(s, OFFICER, TODAY)
        assert service.snapshot("cooperative", coop_id)["village"] == "Xóm 5"
        with pytest.raises(ConflictError):
            service.delete("cooperative", coop_id, row_version=opened_version)
        service.update("cooperative", coop_id, {"village": "Xóm 6"},
                       row_version=opened_version + 1)


def test_the_current_version_is_accepted(service: RecordService, session: Session,
                                         commune: Unit) -> None:
    coop = service.create("cooperative", {"unit_id": commune.id, "kind": "htx", "name": NAME})
    first = coop.row_version
    service.update("cooperative", coop.id, {"village": "Xóm 1"}, row_version=first)
    service.update("cooperative", coop.id, {"village": "Xóm 2"}, row_version=first + 1)
    with pytest.raises(ConflictError):
        service.update("cooperative", coop.id, {"village": "Xóm 3"}, row_version=first)
    assert coop.village == "Xóm 2"
