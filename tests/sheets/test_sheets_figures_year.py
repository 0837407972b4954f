"""Issue 17: a cooperative sheet filled the way officers fill it — members and workers, the
"Năm số liệu" column empty — is imported with the current year's figures, said plainly; the
year is one choice for the whole sheet (`--figures-year`); a row is refused only for what it
says wrong, never for an empty cell with a sensible default."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sheet_helpers import fill_template
from sqlalchemy import select

from htx_desktop.cli import run
from htx_desktop.sheets.handlers import coop_kind_from_name
from htx_desktop.sheets.importer import import_sheet, result_text
from htx_desktop.sheets.templates import write_template
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Cooperative, CooperativeYear
from htx_desktop.store.paths import DataDir

THIS_YEAR = date.today().year
COMMUNES = ["Xã Tân Cương", "Phường Phan Đình Phùng", "05503"]


def _officers_sheet(template: Path, out: Path, rows: int = 12) -> Path:
    """Name, kind, commune, then members and workers; "Năm số liệu" (column J) left empty."""
    return fill_template(template, [
        [f"HTX Dệt số {i + 1}", "HTX", COMMUNES[i % 3], None, None, None, None, None, None,
         None, 10 + i, 5 + i, 20 + i, 8]
        for i in range(rows)], out)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("home")
    assert run(["--data-dir", str(d), "init", "--unit", "19"]) == 0
    return d


@pytest.fixture(scope="module")
def template(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("t") / "mau.xlsx"
    assert run(["--data-dir", str(home), "template", "--kind", "cooperatives", "--out",
                str(path)]) == 0
    return path


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_figures_without_a_year_are_this_years_said_in_the_dry_run(
        home: Path, template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = _officers_sheet(template, tmp_path / "ds.xlsx")
    code, out, err = cli(capsys, "--data-dir", str(home), "import-sheet", str(sheet),
                         "--dry-run")
    assert code == 0, err
    assert ", loại: HTX/THT và số liệu hằng năm." in out
    assert "Từ chối —" not in out and "chưa ghi năm" not in out
    assert "Dòng 2: Tạo mới — HTX Dệt số 1\n" in out
    assert (f"Tạo mới 12, cập nhật 0, từ chối 0.\n12 dòng có số liệu nhưng không ghi năm: "
            f"được tính là số liệu năm {THIS_YEAR}. Nếu là số liệu của năm khác, hãy chạy lại "
            "với --figures-year NĂM.\nChạy thử: chưa ghi gì vào cơ sở dữ liệu.\n") in out


def test_the_import_says_the_year_and_saves_it(
        tmp_path: Path, template: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "data"
    assert run(["--data-dir", str(d), "init", "--unit", "19"]) == 0
    capsys.readouterr()
    sheet = _officers_sheet(template, tmp_path / "ds.xlsx")
    code, out, _ = cli(capsys, "--data-dir", str(d), "import-sheet", str(sheet))
    assert code == 0
    assert out.endswith(f"Đã nhập các dòng hợp lệ (số liệu năm {THIS_YEAR} ở những dòng không "
                        "ghi năm).\n")
    db = Database.open(DataDir(d))
    try:
        with db.session() as s:
            years = s.execute(select(CooperativeYear.year, CooperativeYear.members)).all()
    finally:
        db.close()
    assert len(years) == 12 and {y for y, _ in years} == {THIS_YEAR}
    assert sorted(m for _, m in years) == list(range(10, 22))


def test_figures_year_on_the_command_line(
        tmp_path: Path, template: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "data"
    assert run(["--data-dir", str(d), "init", "--unit", "19"]) == 0
    capsys.readouterr()
    sheet = _officers_sheet(template, tmp_path / "ds.xlsx", rows=3)
    code, out, _ = cli(capsys, "--data-dir", str(d), "import-sheet", str(sheet),
                       "--figures-year", "2025", "--json")
    assert code == 0
    data = json.loads(out)
    # The keys it always had, and the new ones added.
    assert set(data) == {"file", "kind", "sheet", "header_row", "applied", "counts",
                         "skipped_total_rows", "rows", "figures_year", "figures_year_rows"}
    assert data["counts"] == {"created": 3, "updated": 0, "refused": 0}
    assert (data["figures_year"], data["figures_year_rows"]) == (2025, [2, 3, 4])
    assert set(data["rows"][0]) == {"row", "status", "record", "reason"}
    db = Database.open(DataDir(d))
    try:
        with db.session() as s:
            assert set(s.scalars(select(CooperativeYear.year))) == {2025}
    finally:
        db.close()


@pytest.mark.parametrize("year", ["2031", "1890", "năm ngoái"])
def test_a_wrong_figures_year_is_refused_exit_2(
        year: str, home: Path, template: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    sheet = _officers_sheet(template, tmp_path / "ds.xlsx", rows=1)
    code, _, err = cli(capsys, "--data-dir", str(home), "import-sheet", str(sheet),
                       "--figures-year", year)
    assert code == 2
    assert err == (f"Lỗi cách dùng: --figures-year: “{year}” không phải là năm của số liệu: "
                   f"hãy ghi một năm từ 1950 đến {THIS_YEAR}, ví dụ {THIS_YEAR}.\n"
                   "Xem hướng dẫn: htx-desktop import-sheet --help\n")


def test_a_year_given_in_the_row_wins_and_only_wrong_rows_are_refused(
        db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        template = write_template(s, "cooperatives", tmp_path / "mau.xlsx")
    sheet = fill_template(template, [
        ["HTX Chè Tân Cương", "HTX", "Xã Tân Cương", None, None, None, None, None, None,
         2024, 20, 12],
        ["HTX Miến Dong", None, "Xã Tân Cương", None, None, None, None, None, None,
         None, 15],  # the kind left empty: the name says HTX
        ["Tổ hợp tác Mây tre", None, "Xã Tân Cương"],  # …and THT
        ["Cơ sở may Hoà Bình", None, "Xã Tân Cương"],  # the name says nothing: refused
        ["HTX Không Có Xã", "HTX", "Xã Không Tồn Tại", None, None, None, None, None, None,
         None, 9],  # its own information is wrong: refused
    ], tmp_path / "ds.xlsx")
    report = import_sheet(db, sheet, apply=True, figures_year=2025)
    assert [(o.row, o.status) for o in report.outcomes] == [
        (2, "created"), (3, "created"), (4, "created"), (5, "refused"), (6, "refused")]
    assert "cột «Loại hình (*)»" in report.outcomes[3].reason
    assert "Xã Không Tồn Tại" in report.outcomes[4].reason
    assert report.figures_year_rows == [3]  # a refused row's figures are not counted
    assert report.figures_year_note() == (
        "1 dòng có số liệu nhưng không ghi năm: được tính là số liệu năm 2025.")
    assert result_text(report) == ("Đã nhập: tạo mới 3, cập nhật 0. 2 dòng bị từ chối không "
                                   "được nhập. Số liệu năm 2025 ở 1 dòng không ghi năm.")
    with db.session() as s:
        coops = {c.name: c for c in s.scalars(select(Cooperative))}
        assert coops["HTX Miến Dong"].kind == "htx"
        assert coops["Tổ hợp tác Mây tre"].kind == "tht"
        years = {(y.cooperative_id, y.year) for y in s.scalars(select(CooperativeYear))}
        assert years == {(coops["HTX Chè Tân Cương"].id, 2024),
                         (coops["HTX Miến Dong"].id, 2025)}


def test_a_sheet_with_every_year_given_says_nothing_of_it(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        template = write_template(s, "cooperatives", tmp_path / "mau.xlsx")
    sheet = fill_template(template, [
        ["HTX Chè Tân Cương", "HTX", "Xã Tân Cương", None, None, None, None, None, None,
         2024, 20]], tmp_path / "ds.xlsx")
    report = import_sheet(db, sheet)
    assert report.figures_year_rows == [] and report.figures_year_note() == ""
    assert report.to_json()["figures_year"] == THIS_YEAR


@pytest.mark.parametrize(("name", "kind"), [
    ("HTX Chè", "htx"), ("Hợp tác xã Nông nghiệp", "htx"), ("hop tac xa det", "htx"),
    ("THT Mây tre", "tht"), ("Tổ hợp tác rau", "tht"), ("Liên hiệp HTX Thái Nguyên", "lhhtx"),
    ("HTXNN Đồng Hỷ", None), ("Cơ sở may", None), ("", None), (None, None)])
def test_coop_kind_from_name(name: str | None, kind: str | None) -> None:
    assert coop_kind_from_name(name) == kind


def test_a_refused_row_is_named_once_on_the_command_line(
        home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sheet_helpers import write_rows

    sheet = write_rows(tmp_path / "ds.xlsx", [
        ["Tên HTX/THT", "Loại hình", "Xã/phường", "Tổng số thành viên", "Thành viên nữ",
         "Tổng số lao động", "Lao động nữ"],
        ["Cơ sở may Hoà Bình", None, "Xã Tân Cương"],
        ["HTX Chè", "HTX", "Xã Tân Cương", 5, 9, 3, 4]])
    code, out, _ = cli(capsys, "--data-dir", str(home), "import-sheet", str(sheet),
                       "--dry-run")
    assert code == 1
    lines = out.splitlines()
    assert lines[1].startswith("Dòng 2: Từ chối — cột «Loại hình»: ")
    assert lines[2] == ("Dòng 3: Từ chối — cột «Thành viên nữ»: Số thành viên nữ (9) không được "
                        "lớn hơn tổng số thành viên (5). Hãy kiểm tra lại hai số này.")
    assert lines[3].startswith("    cột «Lao động nữ»: ")
    assert "Dòng 3, " not in out and "Dòng 2, " not in out
