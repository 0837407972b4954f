"""Ký số (issue 25) with a SoftHSM2 software token, through the same PKCS#11 path as a CA's USB
token: `export --sign-pkcs11` signs the PDF before the manifest's checksums; poppler's pdfsig
and pyHanko's validator both find the signature valid; a wrong PIN, a missing library and an
absent token each refuse in Vietnamese and leave no package; `verify` reports the signature."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from htx_desktop.cli import run
from htx_desktop.reports.pdf_signing import (
    CHAIN_UNKNOWN,
    UNSIGNED,
    Appearance,
    SignatureBox,
    verify_pdf,
)
from tests.reports.exchange_helpers import UNITS_3LEVEL, make_folder
from tests.softhsm_token import CA_NAME, OFFICER, ORGANISATION, Token, require_softhsm


@pytest.fixture(scope="module")
def token() -> Token:
    return require_softhsm()


@pytest.fixture(scope="module")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("commune-kyso"), "05443", seed=5,
                       units_file=UNITS_3LEVEL)


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The receiving unit above the commune."""
    return make_folder(tmp_path_factory.mktemp("district-kyso"), "164",
                       units_file=UNITS_3LEVEL)


def _pin_file(tmp_path: Path, pin: str) -> Path:
    path = tmp_path / "pin.txt"
    path.write_text(pin + "\n", encoding="utf-8")
    return path


def _export(d: Path, out: Path, token: Token, *, library: str | None = None,
            label: str | None = None, pin: str | None = None) -> int:
    return run(["--data-dir", str(d), "export", "--period", "2025", "--out", str(out),
                "--sign-pkcs11", library or token.library,
                "--token-label", label or token.label,
                "--pin-file", str(_pin_file(out.parent, pin or token.pin)),
                "--key-label", token.key_label])


@pytest.fixture(scope="module")
def signed_package(commune: Path, token: Token, tmp_path_factory: pytest.TempPathFactory
                   ) -> Path:
    out = tmp_path_factory.mktemp("kyso-out") / "goi"
    assert _export(commune, out, token) == 0
    (package,) = out.glob("*.zip")
    return package


def test_export_signs_the_pdf_before_the_manifest_and_pdfsig_agrees(
        signed_package: Path, token: Token, tmp_path: Path) -> None:
    with zipfile.ZipFile(signed_package) as zf:
        pdf = zf.read("bao-cao.pdf")
        manifest = json.loads(zf.read("manifest.json"))
    # the manifest's checksum is the signed PDF's: it was signed before hashing
    assert manifest["files"]["bao-cao.pdf"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    (tmp_path / "signed.pdf").write_bytes(pdf)
    if shutil.which("pdfsig") is None:
        pytest.skip("pdfsig (poppler-utils) chưa được cài")
    report = subprocess.run(["pdfsig", str(tmp_path / "signed.pdf")], capture_output=True,
                            text=True, check=False).stdout
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    assert f"Signer Certificate Common Name: {OFFICER}" in report
    assert "ETSI.CAdES.detached" in report  # PAdES, not the old adbe.pkcs7.detached

    status = verify_pdf(pdf, [token.ca_pem])
    (sig,) = status.signatures
    assert (sig.signer, sig.organisation, sig.issuer) == (OFFICER, ORGANISATION, CA_NAME)
    assert sig.intact and sig.valid and sig.whole_document and sig.chain_trusted
    assert sig.signing_time is not None
    untrusted = verify_pdf(pdf)
    assert untrusted.ok and not untrusted.signatures[0].chain_trusted
    assert CHAIN_UNKNOWN in untrusted.describe()


def test_a_changed_byte_breaks_the_signature(signed_package: Path) -> None:
    with zipfile.ZipFile(signed_package) as zf:
        pdf = bytearray(zf.read("bao-cao.pdf"))
    at = pdf.index(b"BT") + 10  # inside the first page's text, within the signed range
    pdf[at] = pdf[at] ^ 0x01
    status = verify_pdf(bytes(pdf))
    assert status.signed and not status.ok
    assert "KHÔNG còn nguyên vẹn" in status.describe()


def test_verify_reports_the_signature_and_the_package_imports(
        signed_package: Path, district: Path, token: Token, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_bytes(token.ca_pem)
    capsys.readouterr()
    verify = ["--data-dir", str(district), "verify", str(signed_package)]
    assert run([*verify, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["valid"] is True and result["version"] >= 1  # earlier fields stay
    signature = result["pdf_signature"]
    assert signature["signed"] is True and signature["ok"] is True
    assert signature["signatures"][0]["signer"] == OFFICER
    assert signature["signatures"][0]["chain_trusted"] is False
    assert run([*verify, "--trust-ca", str(ca)]) == 0
    text = capsys.readouterr().out
    assert f"Ký số bởi {OFFICER}, {ORGANISATION}; CA cấp: {CA_NAME}" in text
    assert "chứng thư hợp lệ, do CA được tin cậy cấp" in text
    # a signed PDF is still an ordinary document for the receiving unit
    assert run(["--data-dir", str(district), "import", "--accept-new-key",
                str(signed_package)]) == 0


def test_an_unsigned_package_is_simply_not_signed(
        commune: Path, district: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(commune), "export", "--period", "2025", "--out",
                str(tmp_path)]) == 0
    package = Path(capsys.readouterr().out.strip())
    assert run(["--data-dir", str(district), "verify", str(package), "--json"]) == 0
    signature = json.loads(capsys.readouterr().out)["pdf_signature"]
    assert signature == {"signed": False, "ok": False, "summary": UNSIGNED, "signatures": []}


@pytest.mark.parametrize(("case", "message"), [
    ("wrong-pin", "Mã PIN của thiết bị ký số không đúng"),
    ("missing-library", "Không tìm thấy thư viện ký số"),
    ("absent-token", "Không tìm thấy thiết bị ký số “KHONG-CO”"),
])
def test_a_failure_to_sign_refuses_and_leaves_no_package(
        case: str, message: str, commune: Path, token: Token, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "goi"
    capsys.readouterr()
    kwargs = {"wrong-pin": {"pin": "000000"},
              "missing-library": {"library": str(tmp_path / "khong-co" / "token.dll")},
              "absent-token": {"label": "KHONG-CO"}}[case]
    assert _export(commune, out, token, **kwargs) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Chưa xuất gói báo cáo" in err
    assert "000000" not in err and token.pin not in err  # the PIN is never shown
    assert not list(out.glob("*")) if out.exists() else True
    assert not list(out.glob("*.zip")) if out.exists() else True


def test_the_appearance_never_covers_text(token: Token, tmp_path: Path) -> None:
    """The box lies in the empty space between the position and the name: no word of the
    page falls inside it; signed with images, the page shows them there (looked at)."""
    from PIL import Image, ImageDraw

    from htx_desktop.reports.pdf import render_pdf
    from htx_desktop.reports.pdf_signing import TokenChoice, pdf_signer
    from htx_desktop.reports.report_text import ReportContent

    content = ReportContent(
        parent_body="HỘI LHPN TỈNH THÁI NGUYÊN", issuing_body="HỘI LHPN XÃ TÂN CƯƠNG",
        number="Số: 01/BC-HPN", place_date="Tân Cương, ngày 06 tháng 12 năm 2026",
        subject="Báo cáo kết quả", blocks=[("p", "Nội dung báo cáo.")], table_title="",
        table_rows=[], closing="Hết.", authority="TM. BAN THƯỜNG VỤ", position="CHỦ TỊCH",
        signer_name=OFFICER, recipients=["- Lưu: VT."])
    layout: dict[str, SignatureBox] = {}
    pdf = render_pdf(content, title="t", author="a", layout=layout)  # type: ignore[arg-type]
    box = layout["signature_box"]
    assert box.x2 - box.x1 > 150 and box.y2 - box.y1 > 50
    (tmp_path / "plain.pdf").write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(box.page + 1), "-l",
                           str(box.page + 1), str(tmp_path / "plain.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    import re

    page_h = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                       r"([^<]*)<", html)
    assert words
    above = below = False
    for x1, y1, x2, y2, word in words:
        top, bottom = page_h - float(y1), page_h - float(y2)  # PDF points from the bottom
        overlaps = (float(x1) < box.x2 and float(x2) > box.x1
                    and bottom < box.y2 and top > box.y1)
        assert not overlaps, word
        above |= word == "CHỦ" and bottom >= box.y2
        below |= word == "Mai" and top <= box.y1
    assert above and below

    def png(draw: str) -> bytes:
        im = Image.new("RGBA", (300, 150), (0, 0, 0, 0))
        d = ImageDraw.Draw(im)
        if draw == "seal":
            d.ellipse([75, 0, 225, 150], outline=(220, 0, 0, 255), width=8)
        else:
            d.line([(10, 120), (80, 20), (150, 110), (220, 30), (290, 90)],
                   fill=(20, 40, 160, 255), width=6)
        buf = io.BytesIO()
        im.save(buf, "PNG")
        return buf.getvalue()

    sign = pdf_signer(TokenChoice(token.library, token.label, token.pin, token.key_label),
                      Appearance(signature_png=png("sig"), seal_png=png("seal")))
    signed = sign(pdf, box, content)
    assert verify_pdf(signed).ok
    (tmp_path / "signed.pdf").write_bytes(signed)
    text = subprocess.run(["pdftotext", str(tmp_path / "signed.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    # the appearance's own text, in the page's font (Vietnamese intact)
    assert f"Ký bởi: {OFFICER}" in text and "Chức vụ: Chủ tịch" in text
    assert "Cơ quan: HỘI LHPN XÃ TÂN CƯƠNG" in text and "Thời gian ký:" in text


def test_pyhanko_is_not_imported_at_start_up() -> None:
    code = ("import sys, htx_desktop.cli, htx_desktop.reports.package, "
            "htx_desktop.reports.export, htx_desktop.reports.pdf_signing; "
            "from htx_desktop.reports.pdf_signing import verify_pdf; "
            "assert verify_pdf(b'%PDF-1.4 no signature').describe() == 'chưa ký số'; "
            "print(sorted(m for m in sys.modules if m.startswith(('pyhanko', 'pkcs11'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
