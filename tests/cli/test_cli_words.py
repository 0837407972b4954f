"""Issue 17: the command line as a new user meets it — argparse's own words in Vietnamese
(English with --lang en), the program named once, periods within the scheme's years, a data
folder without a database refused, a file that is not a ZIP called that, and the JSON outputs
keeping their shape."""

from __future__ import annotations

import argparse
import inspect
import json
import re
import zipfile
from pathlib import Path

import pytest

from htx_desktop.cli import build_parser, run
from htx_desktop.cli.argparse_words import VIETNAMESE, speaking
from htx_desktop.i18n import set_language

COMMANDS = ("init", "units", "summary", "demo", "backup", "restore", "indicators", "export",
            "keygen", "template", "import-sheet", "verify", "import", "submissions",
            "deadline")

# argparse's English an officer must not meet in Vietnamese output.
ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "argument ",
           "invalid choice", "the following arguments", "unrecognized arguments",
           "expected one argument", "No such file", "error:")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _vietnamese_afterwards() -> object:
    yield None
    set_language("vi")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("home")
    assert run(["--data-dir", str(d), "init", "--unit", "19"]) == 0
    return d


# --------------------------------------------------------------------------- 1. the words


def test_help_of_the_program_is_vietnamese_and_names_it_once(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--help")
    assert code == 0
    assert out.startswith("Cách dùng: htx-desktop [-h] [--data-dir THƯ_MỤC]")
    assert "\ntuỳ chọn:\n" in out and "\ncác lệnh:\n" in out
    assert "-h, --help          hiện hướng dẫn này rồi thoát" in out
    assert not [word for word in ENGLISH if word in out]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_of_every_command_is_vietnamese(command: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, command, "--help")
    assert code == 0 and err == ""
    assert out.startswith(f"Cách dùng: htx-desktop {command} [-h]")
    assert "htx-desktop htx-desktop" not in out
    assert "\ntuỳ chọn:\n" in out and "hiện hướng dẫn này rồi thoát" in out
    assert not [word for word in ENGLISH if word in out]
    # What the command does opens its help; no English placeholder (FILE, OUT, DATA_DIR …).
    assert re.search(r"\n\n\S.*\n", out)
    assert not re.search(r"\b(OUT|FILE|PERIOD|UNIT|SEED|SCALE|OFFICER|PHONE|DATA_DIR)\b", out)


def test_help_in_english_with_lang_en(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--lang", "en", "import-sheet", "--help")
    assert code == 0
    assert out.startswith("usage: htx-desktop import-sheet [-h]")
    assert "\noptions:\n" in out and "show this help message and exit" in out
    assert "--figures-year YEAR" in out and "FILE" in out
    assert "Cách dùng" not in out and "tuỳ chọn" not in out


@pytest.mark.parametrize(("argv", "said"), [
    (["indicators"], "Lỗi cách dùng: còn thiếu phần bắt buộc: --period\n"
                     "Xem hướng dẫn: htx-desktop indicators --help\n"),
    (["template", "--kind", "hoptacxa", "--out", "x.xlsx"],
     "Lỗi cách dùng: --kind: “hoptacxa” không phải là một lựa chọn; hãy chọn một trong: "
     "cooperatives, people, events, jobs.\nXem hướng dẫn: htx-desktop template --help\n"),
    (["tongket"], "Lỗi cách dùng: không có lệnh “tongket”. Các lệnh: init, units, summary, "
                  "demo, backup, restore, indicators, export, check-print, keygen, keys, "
                  "template, import-sheet, verify, import, withdraw, submissions, review, "
                  "receipts, sent, deadline.\n"
                  "Xem hướng dẫn: htx-desktop --help\n"),
    (["--lang", "fr", "units"], "Lỗi cách dùng: --lang: “fr” không phải là một lựa chọn; "
                                "hãy chọn một trong: vi, en.\nXem hướng dẫn: htx-desktop --help\n"),
    (["restore"], "Lỗi cách dùng: còn thiếu phần bắt buộc: TỆP\n"
                  "Xem hướng dẫn: htx-desktop restore --help\n"),
    (["demo", "--seed", "abc"], "Lỗi cách dùng: --seed: giá trị “abc” không hợp lệ\n"
                                "Xem hướng dẫn: htx-desktop demo --help\n"),
    (["units", "--bogus"], "Lỗi cách dùng: không hiểu phần này của lệnh: --bogus\n"
                           "Xem hướng dẫn: htx-desktop --help\n"),
    (["--data-dir"], "Lỗi cách dùng: --data-dir: cần ghi một giá trị ngay sau tuỳ chọn này\n"
                     "Xem hướng dẫn: htx-desktop --help\n"),
])
def test_wrong_usage_is_said_in_vietnamese_exit_2(
        argv: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, *argv)
    assert (code, out, err) == (2, "", said)


def test_wrong_usage_in_english_with_lang_en(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "--lang", "en", "indicators")
    assert code == 2
    assert err == ("Wrong usage: the following arguments are required: --period\n"
                   "See: htx-desktop indicators --help\n")
    code, _, err = cli(capsys, "--lang", "en", "tongket")
    assert code == 2 and err.startswith("Wrong usage: there is no command “tongket”.")


def test_argparse_is_left_as_it_was() -> None:
    """The words are swapped only while the command line's parser runs."""
    before = argparse.__dict__["_"]
    with speaking("vi"):
        assert argparse.__dict__["_"]("usage: ") == "Cách dùng: "
    assert argparse.__dict__["_"] is before
    assert argparse.ArgumentParser(prog="p").format_usage() == "usage: p [-h]\n"


def test_every_argparse_message_an_officer_can_meet_has_vietnamese() -> None:
    """A later Python's argparse with a new message fails here, not in front of an officer."""
    try:
        source = inspect.getsource(argparse)
    except OSError:  # the embedded Windows Python ships compiled modules only
        pytest.skip("argparse's source is not shipped with this Python")
    found = set(re.findall(r"\b_\('((?:[^'\\]|\\.)*)'\)", source))
    found |= set(re.findall(r'\b_\("((?:[^"\\]|\\.)*)"\)', source))
    found = {text.encode().decode("unicode_escape") for text in found}
    # Mistakes of the program's own parser set-up, never of a command typed.
    setup = ("conflicting", "cannot", "dest= is", "is not callable", "not defined",
             "mutually exclusive", "'required' is", "invalid conflict_resolution",
             "with mode", "unexpected option string", "deprecated", "help", "%(prog)s")
    meets = {text for text in found if not any(word in text for word in setup)}
    assert meets - set(VIETNAMESE) == set()


def test_build_parser_outside_run_keeps_vietnamese_help_texts() -> None:
    with speaking("vi"):
        text = build_parser().format_help()
    assert "Cách dùng:" in text and "các lệnh:" in text


# --------------------------------------------------------------------------- a file not a ZIP


def test_import_calls_a_file_that_is_not_a_zip_that(
        home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "bao-cao.txt"
    text.write_text("báo cáo năm 2025", encoding="utf-8")
    cut = tmp_path / "cut.zip"
    with zipfile.ZipFile(tmp_path / "whole.zip", "w") as zf:
        zf.writestr("manifest.json", "{}" * 4000)
    cut.write_bytes((tmp_path / "whole.zip").read_bytes()[:200])
    sheet = tmp_path / "danh-sach.xlsx"
    with zipfile.ZipFile(sheet, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    code, _, err = cli(capsys, "--data-dir", str(home), "import", str(text), str(cut),
                       str(sheet), str(tmp_path / "missing.zip"), "--dry-run")
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == ("bao-cao.txt: bị từ chối: tệp này không phải tệp ZIP nên không phải gói "
                        "báo cáo (gói báo cáo là tệp .zip do HTX Desktop xuất ra); hãy chọn "
                        "đúng tệp.")
    assert lines[1] == ("cut.zip: bị từ chối: tệp ZIP bị hỏng hoặc không trọn vẹn (có thể tải "
                        "về chưa xong); hãy đề nghị đơn vị gửi lại.")
    assert "không phải gói báo cáo" in lines[2] and "import-sheet" in lines[2]
    assert lines[3] == ("missing.zip: bị từ chối: không tìm thấy tệp này; hãy kiểm tra lại tên "
                        "tệp và thư mục.")
    assert "No such file" not in err and "tải về chưa xong" not in lines[0]


def test_verify_json_of_a_file_that_is_not_a_zip(
        home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "x.txt"
    text.write_text("x")
    code, out, _ = cli(capsys, "--data-dir", str(home), "verify", str(text), "--json")
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"file", "valid", "reason"} and data["valid"] is False
    assert data["reason"].startswith("tệp này không phải tệp ZIP")


# --------------------------------------------------------------------------- 2. periods


@pytest.mark.parametrize("period", ["2031", "2022", "1999", "2029-2031", "2020-2024"])
def test_periods_outside_the_scheme_are_refused_with_the_range(
        period: str, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["indicators", "--period", period],
                    ["export", "--period", period, "--out", str(home / "out")],
                    ["submissions", "--period", period]):
        code, out, err = cli(capsys, "--data-dir", str(home), *command)
        assert (code, out) == (2, "")
        assert err.startswith(
            f"Lỗi cách dùng: --period: Kỳ báo cáo “{period}” nằm ngoài các năm của Đề án: chỉ "
            "nhận các năm từ 2023 đến 2030")
    assert not (home / "out").exists()


def test_periods_within_the_scheme_still_run(home: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    for period in ("2023", "2030", "phase2", "2023-2025"):
        code, out, _ = cli(capsys, "--data-dir", str(home), "indicators", "--period", period,
                           "--json")
        assert code == 0 and json.loads(out)["unit"] == "19"


def test_period_out_of_range_in_english(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "--lang", "en", "--data-dir", str(home), "indicators",
                       "--period", "2031")
    assert code == 2
    assert "lies outside the scheme's years: only the years 2023 to 2030" in err


# --------------------------------------------------------------------------- 3. no database


def _argv(command: str, tmp_path: Path) -> list[str]:
    files = tmp_path / "inputs"
    files.mkdir(exist_ok=True)
    package = files / "goi.zip"
    package.write_bytes(b"PK\x05\x06" + bytes(18))
    passphrase = files / "pass.txt"
    passphrase.write_text("mat-khau-dai")
    sheet = files / "ds.xlsx"
    sheet.write_bytes(b"x")
    return {
        "units": ["units"], "summary": ["summary"], "demo": ["demo"], "backup": ["backup"],
        "indicators": ["indicators", "--period", "2025"],
        "export": ["export", "--period", "2025", "--out", str(files / "out")],
        "keygen": ["keygen", "--out", str(files / "keys"), "--passphrase-file",
                   str(passphrase)],
        "template": ["template", "--kind", "people", "--out", str(files / "mau.xlsx")],
        "import-sheet": ["import-sheet", str(sheet)],
        "verify": ["verify", str(package)], "import": ["import", str(package)],
        "submissions": ["submissions", "--period", "2025"],
        "deadline": ["deadline", "--period", "2026", "--due", "15/12/2026"],
    }[command]


@pytest.mark.parametrize("command", [c for c in COMMANDS if c not in ("init", "restore")])
def test_a_folder_without_a_database_is_refused_and_left_alone(
        command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = _argv(command, tmp_path)
    typo = tmp_path / "HTX Dữ liệu (gõ nhầm)"
    code, out, err = cli(capsys, "--data-dir", str(typo), *argv)
    assert (code, out) == (1, "")
    assert err == (
        f"Thư mục dữ liệu “{typo}” chưa có cơ sở dữ liệu: lệnh {command} không chạy, không có "
        "gì được tạo ở đó.\nHãy kiểm tra lại đường dẫn --data-dir; nếu đây là lần đầu dùng "
        "chương trình, hãy tạo cơ sở dữ liệu bằng lệnh:\n"
        f"  htx-desktop --data-dir \"{typo}\" init --unit MÃ_ĐƠN_VỊ\n"
        "(hoặc khôi phục một bản sao lưu bằng lệnh restore).\n")
    assert not typo.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli(capsys, "--data-dir", str(empty), *argv)[0] == 1
    assert list(empty.iterdir()) == []
    assert not (tmp_path / "inputs" / "out").exists()
    assert not (tmp_path / "inputs" / "keys").exists()


def test_init_and_restore_start_from_an_empty_folder(
        home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "--data-dir", str(home), "backup", "--out",
                       str(tmp_path / "copy.sqlite3"))
    assert code == 0, err
    code, out, err = cli(capsys, "--data-dir", str(tmp_path / "restored"), "restore",
                         str(tmp_path / "copy.sqlite3"))
    assert code == 0, err
    assert cli(capsys, "--data-dir", str(tmp_path / "restored"), "units")[0] == 0
    code, out, _ = cli(capsys, "--data-dir", str(tmp_path / "new"), "init", "--unit", "05443")
    assert code == 0 and "Đã chọn đơn vị" in out


def test_folder_refusal_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "--lang", "en", "--data-dir", str(tmp_path / "x"), "summary")
    assert code == 1
    assert err.startswith(f"The data folder “{tmp_path / 'x'}” has no database: the command "
                          "summary did not run, and nothing was created there.")


# --------------------------------------------------------------------------- 5. JSON shapes

# The keys each --json output had before issue 17: they stay (new keys may only be added).
JSON_KEYS = {
    "units": {"home", "units"},
    "summary": {"unit", "counts"},
    "indicators": {"unit", "period", "indicators"},
    "submissions": {"period", "units"},
}


@pytest.mark.parametrize("command", sorted(JSON_KEYS))
def test_json_outputs_keep_their_keys(command: str, home: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    extra = ["--period", "2025"] if command in ("indicators", "submissions") else []
    code, out, err = cli(capsys, "--data-dir", str(home), command, *extra, "--json")
    assert code == 0, err
    assert JSON_KEYS[command] <= set(json.loads(out))


def test_a_file_that_cannot_be_written_is_said_in_vietnamese(
        home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "khong-co" / "mau.xlsx"
    code, _, err = cli(capsys, "--data-dir", str(home), "template", "--kind", "people",
                       "--out", str(out))
    assert code == 1
    assert err == f"Không ghi được tệp “{out}”: không có tệp hoặc thư mục này\n"
    key = tmp_path / "khoa.pem"
    passphrase = tmp_path / "pass.txt"
    passphrase.write_text("mat-khau-dai")
    code, _, err = cli(capsys, "--data-dir", str(home), "import", "--private-key", str(key),
                       "--passphrase-file", str(passphrase), str(passphrase))
    assert code == 1
    assert err == (f"Không đọc được tệp khoá bí mật {key}: không có tệp hoặc thư mục này\n")
