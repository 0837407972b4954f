"""The printable recovery sheet of a unit's key pair: losing the private key would lock the
names of every package sealed to it for ever, so the key is also kept on paper, in a safe.

The private key is printed in full (it stays protected by its passphrase, which is NOT printed)
in a monospaced font so that it can be typed back exactly.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from htx_desktop.i18n import t
from htx_desktop.os_errors import os_error_text
from htx_desktop.reports.pdf import register_fonts
from htx_desktop.reports.wording import fmt_date
from htx_desktop.resources import resource_path

MONO = "DejaVuSansMono"


@cache
def _register_mono() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(MONO, str(resource_path("fonts", f"{MONO}.ttf"))))
    return MONO


def _grouped(hex_text: str) -> str:
    return " ".join(hex_text[i:i + 4] for i in range(0, len(hex_text), 4))


def render_recovery_sheet(*, unit_code: str, unit_name: str, fingerprint: str,
                          private_pem: bytes, public_pem: bytes, created: date,
                          signing_code: str | None = None) -> bytes:
    """The PDF bytes of the sheet (A4, Vietnamese)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Preformatted, SimpleDocTemplate, Spacer

    font = register_fonts()
    mono = _register_mono()
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=16, spaceAfter=4)
    head = ParagraphStyle("head", body, fontName=f"{font}-Bold", fontSize=15, leading=20,
                          alignment=1, spaceAfter=10)
    sub = ParagraphStyle("sub", body, fontName=f"{font}-Bold", spaceBefore=8)
    code = ParagraphStyle("code", fontName=mono, fontSize=9.5, leading=12)

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    story = [
        para("PHIẾU LƯU GIỮ KHOÁ BÍ MẬT — HTX DESKTOP", head),
        para(f"Đơn vị: {unit_name} (mã {unit_code}). Ngày tạo khoá: {fmt_date(created)}."),
        para("Khoá này là gì", sub),
        para("Các đơn vị cấp dưới dùng khoá công khai của đơn vị "
             f"(tệp {unit_code}-public.pem) để mã hoá họ tên, số điện thoại và số định danh "
             "của chị em trong gói báo cáo. Chỉ khoá bí mật in dưới đây, cùng mật khẩu bảo vệ "
             "nó, mới mở được các danh sách đó. Mất khoá bí mật thì không ai mở lại được họ "
             "tên trong những gói đã nhận; số liệu tổng hợp vẫn đọc được bình thường."),
        para("Dấu vân tay của khoá (để đối chiếu)", sub),
        Preformatted(_grouped(fingerprint), code),
        *([para("Mã khoá ký của đơn vị (để cấp trên đối chiếu qua điện thoại)", sub),
           Preformatted(signing_code, code),
           para("Mọi gói báo cáo đơn vị gửi đi đều được ký bằng khoá ký này (khác với cặp "
                "khoá mã hoá họ tên trên phiếu). Khi cấp trên nhận gói đầu tiên, họ gọi điện "
                "hỏi mã này; cũng có thể xem mã ở mục Cài đặt của chương trình.")]
          if signing_code else []),
        para("Khoá bí mật (đã được bảo vệ bằng mật khẩu)", sub),
        Preformatted(private_pem.decode("ascii").strip(), code),
        para("Khoá công khai", sub),
        Preformatted(public_pem.decode("ascii").strip(), code),
        para("Cách cất giữ", sub),
        para("1. In phiếu này, ký nhận, cho vào phong bì dán kín và cất trong tủ có khoá của "
             "cơ quan; không chụp ảnh, không gửi qua thư điện tử hay mạng xã hội."),
        para("2. Mật khẩu bảo vệ khoá KHÔNG in trên phiếu: ghi riêng, giao cho một người "
             "khác giữ, cất ở nơi khác."),
        para(f"3. Sao lưu tệp {unit_code}-private.pem vào một USB riêng, cất cùng phiếu này."),
        para("4. Khi mất tệp khoá: gõ lại khối chữ «BEGIN ENCRYPTED PRIVATE KEY» ở trên vào "
             "một tệp văn bản (đúng từng ký tự, giữ nguyên các dòng), lưu với tên "
             f"{unit_code}-private.pem rồi dùng như tệp gốc; so dấu vân tay để kiểm tra."),
        Spacer(1, 10 * mm),
        para("Người giữ phiếu (ký, ghi rõ họ tên): " + "." * 48),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm,
                            title=f"Khoá bí mật {unit_code}", author=unit_name)
    doc.build(story)
    return buffer.getvalue()


@dataclass(frozen=True)
class KeyFiles:
    public: Path
    private: Path
    sheet: Path
    fingerprint: str


def key_file_names(out_dir: Path, unit_code: str) -> tuple[Path, Path, Path]:
    safe = re.sub(r"[^0-9A-Za-z-]+", "-", unit_code) or "don-vi"
    return (out_dir / f"{safe}-public.pem", out_dir / f"{safe}-private.pem",
            out_dir / f"{safe}-khoa-phuc-hoi.pdf")


def write_key_files(out_dir: Path, *, unit_code: str, unit_name: str,
                    passphrase: str | bytes, today: date | None = None,
                    signing_code: str | None = None) -> KeyFiles:
    """Make a key pair and write the three files (the window and `keygen` both call this).

    Never overwrites: an existing key file may be the only copy of a key that opens packages
    already received. The files appear together or not at all."""
    from htx_desktop.receiving.crypto import CryptoError, fingerprint, generate_keypair

    out_dir = Path(out_dir)
    public_path, private_path, sheet_path = key_file_names(out_dir, unit_code)
    existing = [p for p in (public_path, private_path, sheet_path) if p.exists()]
    if existing:
        raise CryptoError(t(
            "Đã có tệp khoá {path}: không ghi đè để khỏi mất khoá cũ (khoá cũ có thể là khoá "
            "duy nhất mở được các gói đã nhận). Hãy chọn thư mục khác.", path=str(existing[0])))
    public_pem, private_pem = generate_keypair(passphrase)
    print_ = fingerprint(public_pem)
    sheet = render_recovery_sheet(unit_code=unit_code, unit_name=unit_name,
                                  fingerprint=print_, private_pem=private_pem,
                                  public_pem=public_pem, created=today or date.today(),
                                  signing_code=signing_code)
    written: list[Path] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for path, raw, mode in ((private_path, private_pem, 0o600),
                                (public_path, public_pem, 0o644), (sheet_path, sheet, 0o600)):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            written.append(path)
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
                fh.flush()
                os.fsync(fh.fileno())
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise CryptoError(t("Không ghi được tệp khoá vào {path}: {error}", path=str(out_dir),
                            error=os_error_text(exc))) from exc
    return KeyFiles(public_path, private_path, sheet_path, print_)
