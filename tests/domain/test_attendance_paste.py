"""Reading a pasted sign-in sheet and matching its lines to registered people."""

from __future__ import annotations

import unicodedata

from htx_desktop.domain.attendance_paste import (
    BIRTH_YEAR,
    COMMUNE,
    NAME,
    NEW,
    PHONE,
    ROLE,
    SKIP,
    PersonInfo,
    commune_index,
    guess_columns,
    header_columns,
    mark_repeats,
    match_lines,
    new_person_values,
    person_label,
    read_lines,
    split_sheet,
    summary,
)

COMMUNES = commune_index([(1, "Xã Tân Cương"), (2, "Xã Đại Phúc"), (3, "Phường Phổ Yên")])
PEOPLE = [
    PersonInfo("a", "Bàn Thị Hải", 1987, 1, "Xã Tân Cương"),
    PersonInfo("b", "Bàn Thị Hải", 2004, 2, "Xã Đại Phúc"),
    PersonInfo("c", "Nguyễn Thị Hòa", 1980, 3, "Phường Phổ Yên", "0912345678"),
    PersonInfo("d", "Lê Thị Thúy", 1990, 1, "Xã Tân Cương"),
    PersonInfo("e", "Nguyễn Thị Hoa", 1975, 2, "Xã Đại Phúc"),
]


def _match(text: str, already: tuple[str, ...] = ()) -> list:  # type: ignore[type-arg]
    rows = split_sheet(text)
    columns = header_columns(rows[0])
    if columns:
        rows = rows[1:]
    else:
        columns = guess_columns(rows, COMMUNES)
    return match_lines(read_lines(rows, columns), PEOPLE, COMMUNES, already)


def test_excel_columns_are_guessed_in_any_order() -> None:
    rows = split_sheet("1\t1987\tBàn Thị Hải\tTân Cương\t0912345678\tHọc viên\n"
                       "2\t1990\tLê Thị Thúy\tXã Tân Cương\t0987654321\tHội viên\n")
    assert guess_columns(rows, COMMUNES) == [SKIP, BIRTH_YEAR, NAME, COMMUNE, PHONE, ROLE]
    [first, second] = read_lines(rows, guess_columns(rows, COMMUNES))
    assert (first.name, first.birth_year, first.commune, first.phone, first.role) == (
        "Bàn Thị Hải", 1987, "Tân Cương", "0912345678", "participant")
    assert second.role == "union_member"


def test_a_header_line_names_the_columns() -> None:
    rows = split_sheet("STT;Họ và tên;Năm sinh;Xã\n1;Lê Thị Thúy;1990;Tân Cương")
    assert header_columns(rows[0]) == [SKIP, NAME, BIRTH_YEAR, COMMUNE]
    assert header_columns(rows[1]) is None


def test_a_zalo_message_without_columns() -> None:
    rows = split_sheet("1. Bàn Thị Hải 2004\n2) Nguyễn Thị Hòa 0912 345 678\nLê Thị Thúy")
    lines = read_lines(rows, guess_columns(rows, COMMUNES))
    assert [(ln.name, ln.birth_year) for ln in lines] == [
        ("Bàn Thị Hải", 2004), ("Nguyễn Thị Hòa", None), ("Lê Thị Thúy", None)]
    assert lines[1].phone == "0912345678"


def test_namesakes_are_told_apart_by_year_or_commune_else_offered() -> None:
    by_year, by_commune, unsure = _match(
        "Bàn Thị Hải\t2004\t\nBàn Thị Hải\t\tTân Cương\nBàn Thị Hải\t\t")
    assert by_year.choice == "b" and by_year.status == "matched"
    assert by_commune.choice == "a"
    assert unsure.status == "choose" and [p.id for p in unsure.candidates] == ["a", "b"]
    assert person_label("Bàn Thị Hải", 1987, "Xã Tân Cương") == "Bàn Thị Hải (1987, Xã Tân Cương)"


def test_tone_placement_and_nfd_match_but_other_diacritics_do_not() -> None:
    nfd = unicodedata.normalize("NFD", "NGUYỄN THỊ HOÀ")
    [hoa_new_style, hoa_nfd, thuy, plain, other] = _match(
        f"Nguyễn Thị Hoà\n{nfd}\nLê Thị Thuý\nnguyen thi hoa\nNguyễn Thị Hóa")
    assert hoa_new_style.choice == "c" and hoa_nfd.duplicate_of == 1
    assert thuy.choice == "d"
    # typed without marks: both Hòa and Hoa are candidates
    assert plain.status == "choose" and {p.id for p in plain.candidates} == {"c", "e"}
    # Hóa is nobody: a new person, the folded namesakes offered
    assert other.choice == NEW and {p.id for p in other.candidates} == {"c", "e"}


def test_phone_decides() -> None:
    [m] = _match("Nguyễn Thị Hòa\t0912 345 678\t1950")
    assert m.choice == "c"


def test_repeats_and_people_already_listed_are_flagged() -> None:
    results = _match("Lê Thị Thúy\t1990\nTrần Thị Mới\t1999\nLê Thị Thúy\t1990\n"
                     "Trần Thị Mới\t1999\nNguyễn Thị Hoa\t1975", already=("e",))
    assert [m.status for m in results] == ["matched", "new", "duplicate", "duplicate",
                                           "in_event"]
    assert results[2].duplicate_of == 1 and results[3].duplicate_of == 2
    assert summary(results)["duplicate"] == 2
    # choosing the other namesake on a line changes what repeats
    results[2].choice = NEW
    mark_repeats(results, ("e",))
    assert results[2].duplicate_of == 1  # same name and year as line 1's text


def test_legacy_lines_and_lines_without_a_name_are_not_used() -> None:
    [legacy, empty] = _match("NguyÔn ThÞ Hoa\t1980\n\t1990")
    assert legacy.status == "error" and legacy.problem == "legacy"
    assert legacy.line.legacy == "tcvn3"
    assert empty.problem == "no_name" and not empty.usable


def test_new_person_values_come_from_the_line() -> None:
    [m] = _match("TRẦN THỊ  MỚI\t1999\tĐại Phúc\t0977000111")
    assert m.status == "new"
    assert new_person_values(m, 9) == {"unit_id": 2, "full_name": "Trần Thị Mới",
                                       "gender": "female", "birth_year": 1999,
                                       "phone": "0977000111"}
