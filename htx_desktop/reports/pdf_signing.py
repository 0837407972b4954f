"""Digital signature (ký số) of the report PDF with the officer's PKCS#11 token, and the
check of a PDF's signatures (issue 25).

Signing: PAdES B-B through pyHanko's PKCS#11 support (the CA's library, the token's label, the
PIN typed by the officer: never stored, never logged), no timestamp service and no fetching of
revocation data: the program never goes online. The visible appearance is drawn into the empty
space that `reports/pdf.py` leaves between the signer's position and name (Decree 30/2020:
the signature image, the seal image overlapping its left third, the signer, the organisation,
the signing time), so it never covers text.

Checking: `verify_pdf` reports each signature's signer, organisation, issuing CA, signing time,
whether it is intact and covers the whole document, and whether its certificate chains to a CA
given as trusted; no trust roots are shipped: without one the chain is "chưa xác minh được".

Qt-free; pyHanko and python-pkcs11 are imported only when signing or checking.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from htx_desktop.reports.errors import PackageError
from htx_desktop.reports.signature_box import SignatureBox

FIELD_NAME = "KySo1"
UNSIGNED = "chưa ký số"
CHAIN_UNKNOWN = "chưa xác minh được chuỗi chứng thư"
# Libraries of the CAs' tokens on Windows, offered as suggestions (untested on real tokens).
SUGGESTED_LIBRARIES = ("vnpt-ca_csp11.dll", "viettel-ca_v6.dll", "eps2003csp11.dll",
                       "eTPKCS11.dll")


# The PDF could not be signed; the message is Vietnamese and says what to do. PackageError
# itself, so that every caller of the package writer (the CLI, the window) already shows it.
SigningError = PackageError


@dataclass(frozen=True)
class TokenChoice:
    """Which token signs: the CA's PKCS#11 library, the token's label, its PIN, and the key's
    label when the token holds more than one."""
    library: str
    token_label: str
    pin: str = field(repr=False)
    key_label: str | None = None


@dataclass(frozen=True)
class Appearance:
    """What the visible signature shows, besides the certificate's name and the time."""
    position: str = ""
    organisation: str = ""
    signature_png: bytes | None = None
    seal_png: bytes | None = None


# --- signing -----------------------------------------------------------------------------

def _pkcs11_error(exc: BaseException, token: TokenChoice) -> SigningError:
    """The officer's words for a failure of the token (never the PIN itself)."""
    from pkcs11 import exceptions as px

    name = type(exc).__name__
    if isinstance(exc, px.PinIncorrect | px.PinInvalid | px.PinLenRange):
        return SigningError("Mã PIN của thiết bị ký số không đúng: hãy nhập lại. Nhập sai "
                            "nhiều lần, thiết bị sẽ bị khoá. Chưa xuất gói báo cáo.")
    if isinstance(exc, px.PinLocked | px.PinExpired):
        return SigningError("Mã PIN của thiết bị ký số đã bị khoá hoặc hết hạn: hãy liên hệ "
                            "nhà cung cấp chữ ký số. Chưa xuất gói báo cáo.")
    if isinstance(exc, px.NoSuchToken | px.TokenNotPresent | px.DeviceRemoved
                  | px.TokenNotRecognised | px.SlotIDInvalid) or "No token" in str(exc):
        return SigningError(f"Không tìm thấy thiết bị ký số “{token.token_label}”: hãy cắm "
                            "thiết bị vào máy (hoặc kiểm tra tên thiết bị) rồi thử lại. Chưa "
                            "xuất gói báo cáo.")
    if isinstance(exc, px.NoSuchKey | px.MultipleObjectsReturned):
        return SigningError("Không tìm thấy khoá ký hoặc chứng thư số trên thiết bị ký số "
                            f"“{token.token_label}” ({name}): hãy kiểm tra tên khoá. Chưa xuất "
                            "gói báo cáo.")
    return SigningError(f"Thiết bị ký số báo lỗi ({name}): hãy rút ra, cắm lại thiết bị rồi "
                        "thử lại. Chưa xuất gói báo cáo.")


def _open_library(library: str) -> Any:
    """The PKCS#11 module; a clear message when the file is missing or cannot be loaded."""
    import pkcs11

    has_dir = any(sep in library for sep in ("/", "\\"))
    if not library.strip() or (has_dir and not Path(library).is_file()):
        raise SigningError(f"Không tìm thấy thư viện ký số “{library}”: hãy cài phần mềm của "
                           "nhà cung cấp chữ ký số hoặc chọn đúng tệp thư viện (.dll). Chưa "
                           "xuất gói báo cáo.")
    try:
        return pkcs11.lib(library)
    except Exception as exc:  # a DLL of the wrong kind, or missing beside a bare name
        raise SigningError(f"Không mở được thư viện ký số “{library}”: hãy cài phần mềm của "
                           "nhà cung cấp chữ ký số hoặc chọn đúng tệp thư viện (.dll). Chưa "
                           "xuất gói báo cáo.") from exc


def _open_session(token: TokenChoice) -> Any:
    from pkcs11 import exceptions as px

    lib = _open_library(token.library)
    try:
        found = lib.get_token(token_label=token.token_label)
        return found.open(user_pin=token.pin)
    except px.PKCS11Error as exc:
        raise _pkcs11_error(exc, token) from exc


def _name_attr(name: Any, key: str) -> str:
    try:
        return str(name.native.get(key) or "")
    except Exception:
        return ""


def appearance_pdf(box: SignatureBox, appearance: Appearance, signer: str,
                   when: datetime) -> bytes:
    """A one-page PDF the size of the box: the seal overlapping the left third of the
    signature image on the left, the signer, position, organisation and time on the right
    (or across the box when there are no images)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from htx_desktop.reports.pdf import FONT, register_fonts

    register_fonts()
    w, h = box.x2 - box.x1, box.y2 - box.y1
    out = io.BytesIO()
    c = Canvas(out, pagesize=(w, h), pageCompression=1)
    images = [png for png in (appearance.signature_png, appearance.seal_png) if png]
    text_x = 0.0
    if images:
        image_w = w * 0.42
        if appearance.signature_png:
            # the signature in the right two thirds of the image area; the seal over its left
            # third (Decree 30), both within the box
            sig = ImageReader(io.BytesIO(appearance.signature_png))
            c.drawImage(sig, image_w / 3, 0, width=image_w * 2 / 3, height=h,
                        preserveAspectRatio=True, mask="auto")
        if appearance.seal_png:
            seal = ImageReader(io.BytesIO(appearance.seal_png))
            side = min(h, image_w * 2 / 3)
            c.drawImage(seal, 0, (h - side) / 2, width=side, height=side,
                        preserveAspectRatio=True, mask="auto")
        text_x = image_w + 3
    lines = [f"Ký bởi: {signer}"]
    if appearance.position:
        lines.append(f"Chức vụ: {appearance.position}")
    if appearance.organisation:
        lines.append(f"Cơ quan: {appearance.organisation}")
    lines.append(f"Thời gian ký: {when:%H:%M:%S} ngày {when:%d/%m/%Y}")
    size = 7.0 if images else 9.0  # text alone: larger, centred under the position
    from reportlab.pdfbase.pdfmetrics import stringWidth

    room = w - text_x - 2
    while size > 4.5 and max(stringWidth(t, FONT, size) for t in lines) > room:
        size -= 0.5
    leading = size * 1.25
    c.setFillColorRGB(0.0, 0.2, 0.6)
    y = (h + leading * len(lines)) / 2 - size
    for line in lines:
        c.setFont(FONT, size)
        if images:
            c.drawString(text_x + 1, y, line)
        else:
            c.drawCentredString(w / 2, y, line)
        y -= leading
    c.showPage()
    c.save()
    return out.getvalue()


def sign_pdf(pdf: bytes, token: TokenChoice, box: SignatureBox, appearance: Appearance,
             signing_time: datetime | None = None) -> bytes:
    """`pdf` signed PAdES B-B by the token's key, its appearance in `box`. Raises
    SigningError (Vietnamese) for a missing library, an absent token, a wrong PIN."""
    from pkcs11 import exceptions as px
    from pyhanko.pdf_utils import content as pdf_content
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.pkcs11 import PKCS11Signer
    from pyhanko.stamp import StaticStampStyle

    when = (signing_time or datetime.now().astimezone()).replace(microsecond=0)
    session = _open_session(token)
    try:
        try:
            signer = PKCS11Signer(session, key_label=token.key_label,
                                  cert_label=token.key_label, embed_roots=True)
            cert = signer.signing_cert
        except px.PKCS11Error as exc:
            raise _pkcs11_error(exc, token) from exc
        except Exception as exc:  # pyHanko's own "no such key/certificate"
            raise SigningError("Không tìm thấy khoá ký hoặc chứng thư số trên thiết bị ký số "
                               f"“{token.token_label}”: hãy kiểm tra tên khoá. Chưa xuất gói "
                               "báo cáo.") from exc
        name = _name_attr(cert.subject, "common_name") or "(không rõ tên)"
        org = appearance.organisation or _name_attr(cert.subject, "organization_name")
        stamp_pdf = appearance_pdf(box, Appearance(appearance.position, org,
                                                   appearance.signature_png,
                                                   appearance.seal_png), name, when)

        class _Page(pdf_content.ImportedPdfPage):
            def render(self) -> bytes:
                w = self._ensure_writer
                xobj = w.import_page_as_xobject(PdfFileReader(io.BytesIO(stamp_pdf)), 0)
                self.resources.xobject["/ImportKySo"] = xobj
                x1, y1, x2, y2 = xobj.get_object()["/BBox"]
                self.box = BoxConstraints(width=abs(x1 - x2),
                                                      height=abs(y1 - y2))
                return b"/ImportKySo Do"

        style = StaticStampStyle(background=_Page(""), border_width=0,
                                 background_opacity=1.0)

        class _AtTime(signers.PdfSigner):
            def init_signing_session(self, *args: Any, **kwargs: Any) -> Any:
                started = super().init_signing_session(*args, **kwargs)
                started.system_time = when  # the time the appearance shows
                return started

        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256", name=name, location=appearance.organisation or None,
            reason="Ký số báo cáo")
        spec = fields.SigFieldSpec(FIELD_NAME, on_page=box.page,
                                   box=(round(box.x1), round(box.y1), round(box.x2),
                                        round(box.y2)))
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        out = io.BytesIO()
        try:
            _AtTime(meta, signer, stamp_style=style, new_field_spec=spec).sign_pdf(
                writer, output=out)
        except px.PKCS11Error as exc:
            raise _pkcs11_error(exc, token) from exc
        return out.getvalue()
    finally:
        # the token was pulled out meanwhile: nothing left to close
        with contextlib.suppress(Exception):
            session.close()


def pdf_signer(token: TokenChoice, images: Appearance | None = None,
               signing_time: datetime | None = None
               ) -> Callable[[bytes, SignatureBox, Any], bytes]:
    """The hook `write_package(sign_pdf=…)` calls with the rendered PDF, the signature box
    and the report's content (its position and issuing body go in the appearance)."""
    def sign(pdf: bytes, box: SignatureBox, content: Any) -> bytes:
        base = images or Appearance()
        appearance = Appearance(
            position=base.position or str(getattr(content, "position", "")).capitalize(),
            organisation=base.organisation or str(getattr(content, "issuing_body", "")),
            signature_png=base.signature_png, seal_png=base.seal_png)
        return sign_pdf(pdf, token, box, appearance, signing_time)
    return sign


def check_token(token: TokenChoice) -> str:
    """Open the token with the PIN and return the signer's name from its certificate; raises
    SigningError like signing would (the window checks the PIN before exporting)."""
    from pkcs11 import exceptions as px
    from pyhanko.sign.pkcs11 import PKCS11Signer

    session = _open_session(token)
    try:
        try:
            cert = PKCS11Signer(session, key_label=token.key_label,
                                cert_label=token.key_label).signing_cert
        except px.PKCS11Error as exc:
            raise _pkcs11_error(exc, token) from exc
        except Exception as exc:
            raise SigningError("Không tìm thấy khoá ký hoặc chứng thư số trên thiết bị ký số "
                               f"“{token.token_label}”.") from exc
        return _name_attr(cert.subject, "common_name")
    finally:
        with contextlib.suppress(Exception):
            session.close()


# --- checking ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SignatureInfo:
    signer: str
    organisation: str
    issuer: str
    signing_time: str | None
    intact: bool
    valid: bool
    whole_document: bool
    chain_trusted: bool

    def describe(self) -> str:
        state = ("còn nguyên vẹn" if self.intact and self.valid
                 else "KHÔNG còn nguyên vẹn (tệp đã bị sửa sau khi ký)")
        cover = ("phủ toàn bộ văn bản" if self.whole_document
                 else "KHÔNG phủ toàn bộ văn bản (có nội dung thêm sau khi ký)")
        chain = ("chứng thư hợp lệ, do CA được tin cậy cấp" if self.chain_trusted
                 else CHAIN_UNKNOWN)
        org = f", {self.organisation}" if self.organisation else ""
        when = self.signing_time or "không rõ thời gian"
        return (f"Ký số bởi {self.signer}{org}; CA cấp: {self.issuer}; lúc {when}; "
                f"chữ ký {state}, {cover}; {chain}.")

    def to_json(self) -> dict[str, Any]:
        return {"signer": self.signer, "organisation": self.organisation,
                "issuer": self.issuer, "signing_time": self.signing_time,
                "intact": self.intact, "valid": self.valid,
                "whole_document": self.whole_document, "chain_trusted": self.chain_trusted,
                "summary": self.describe()}


@dataclass(frozen=True)
class PdfSignatureStatus:
    signatures: tuple[SignatureInfo, ...] = ()
    error: str | None = None

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def ok(self) -> bool:
        """Every signature intact and covering the whole document (the chain aside)."""
        return self.signed and all(s.intact and s.valid and s.whole_document
                                   for s in self.signatures)

    def describe(self) -> str:
        if self.error:
            return self.error
        if not self.signatures:
            return UNSIGNED
        return " ".join(s.describe() for s in self.signatures)

    def to_json(self) -> dict[str, Any]:
        return {"signed": self.signed, "ok": self.ok, "summary": self.describe(),
                "signatures": [s.to_json() for s in self.signatures]}


def _load_cert(raw: bytes) -> Any:
    from asn1crypto import pem, x509

    if pem.detect(raw):
        _, _, raw = pem.unarmor(raw)
    return x509.Certificate.load(raw)


def verify_pdf(pdf: bytes, trust_roots: Sequence[bytes] = ()) -> PdfSignatureStatus:
    """The signatures of `pdf`; `trust_roots`: CA certificates (PEM or DER) the PC trusts.
    Never fetches anything: revocation is not checked (no network)."""
    if b"/ByteRange" not in pdf:  # no signature dictionary: skip loading pyHanko at all
        return PdfSignatureStatus()
    import logging

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    # An unknown CA is an answer here ("chưa xác minh được"), not a warning with a traceback.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        roots = [_load_cert(r) for r in trust_roots]
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        found = list(reader.embedded_signatures)
    except Exception:
        return PdfSignatureStatus(error="Không đọc được chữ ký số trong tệp PDF.")
    infos = []
    for sig in found:
        try:
            context = ValidationContext(trust_roots=roots, allow_fetching=False,
                                        revocation_mode="soft-fail")
            status = validate_pdf_signature(sig, signer_validation_context=context)
            cert = status.signing_cert
            when = status.signer_reported_dt
            infos.append(SignatureInfo(
                signer=_name_attr(cert.subject, "common_name"),
                organisation=_name_attr(cert.subject, "organization_name"),
                issuer=(_name_attr(cert.issuer, "common_name")
                        or _name_attr(cert.issuer, "organization_name")),
                signing_time=when.isoformat(timespec="seconds") if when else None,
                intact=bool(status.intact), valid=bool(status.valid),
                whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                chain_trusted=bool(status.trusted) and bool(roots)))
        except Exception:
            infos.append(SignatureInfo(signer="(không đọc được)", organisation="", issuer="",
                                       signing_time=None, intact=False, valid=False,
                                       whole_document=False, chain_trusted=False))
    return PdfSignatureStatus(tuple(infos))


def package_pdf_status(package: Path, trust_roots: Sequence[bytes] = ()) -> PdfSignatureStatus:
    """The ký số status of the PDF inside a package already accepted by the reader."""
    import zipfile

    from htx_desktop.reports.package import PDF

    try:
        with zipfile.ZipFile(package) as zf:
            pdf = zf.read(PDF)
    except (OSError, KeyError, zipfile.BadZipFile):
        return PdfSignatureStatus(error="Không đọc được báo cáo PDF trong gói.")
    return verify_pdf(pdf, trust_roots)
