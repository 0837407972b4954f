"""The words of the formal report: the officer's narrative by section, with sentences that put
the period's figures into prose, as provincial reviews write them ("Năm 2025: 3 HTX; lũy kế
2023–2025: 12 HTX, đạt 120,0 % chỉ tiêu").

Pure text, no reportlab: `pdf.py` lays the result out. Narrative sections (keys of the
`narrative` dict, one text each, paragraphs separated by line breaks):
`intro`, `task1` … `task6` (the plan's six tasks), `achievements`, `shortcomings`
(shortcomings, difficulties and causes), `next_year` (tasks for the coming year), `proposals`.
A section the officer left empty gets a neutral sentence, never an empty heading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from htx_desktop.domain.catalogues import (
    CommunicationForm,
    EventType,
    SupportKind,
)
from htx_desktop.reports.wording import (
    INDICATOR_UNITS,
    PERCENT_CODES,
    fmt_date,
    fmt_int,
    fmt_million,
    fmt_percent,
    fmt_target,
    fmt_value,
    indicator_text,
    period_title,
    phase_of,
    progress,
    sentence_case,
)

TASKS: tuple[tuple[str, str], ...] = (
    ("task1", "Tuyên truyền, vận động phụ nữ nâng cao nhận thức về hỗ trợ phát triển KTTT, HTX"),
    ("task2", "Củng cố, nâng cao chất lượng hoạt động của các HTX, THT do phụ nữ tham gia quản lý, "
              "điều hành; tạo nhiều việc làm cho lao động nữ"),
    ("task3", "Hỗ trợ, tư vấn thành lập mới các HTX do phụ nữ tham gia quản lý, điều hành; tạo "
              "nhiều việc làm cho lao động nữ"),
    ("task4", "Nâng cao chất lượng nguồn nhân lực của các HTX do phụ nữ tham gia quản lý, điều "
              "hành"),
    ("task5", "Công tác chỉ đạo, điều hành của các cấp Hội về hỗ trợ phát triển KTTT, HTX"),
    ("task6", "Hợp tác quốc tế"),
)
SECTIONS = ("intro", *(k for k, _ in TASKS), "achievements", "shortcomings", "next_year",
            "proposals")
# Other spellings a caller may use for the same section.
_ALIASES = {"difficulties": "shortcomings", "next_tasks": "next_year",
            "next_year_tasks": "next_year", "recommendations": "proposals"}
NEUTRAL = "Trong kỳ báo cáo, đơn vị không có nội dung bổ sung ở phần này."
SUBJECT = ("Kết quả thực hiện Đề án “Hỗ trợ hợp tác xã do phụ nữ tham gia quản lý, tạo việc làm "
           "cho lao động nữ đến năm 2030”")


@dataclass
class ReportContent:
    """Everything the PDF shows, as plain text."""

    parent_body: str
    issuing_body: str
    number: str  # "Số: 05/BC-HPN"
    place_date: str  # "Thái Nguyên, ngày 05 tháng 01 năm 2026"
    subject: str
    # ("h1" | "h2" | "p", text), in reading order
    blocks: list[tuple[str, str]] = field(default_factory=list)
    table_title: str = ""
    table_rows: list[tuple[str, ...]] = field(default_factory=list)
    closing: str = ""
    authority: str = "TM. BAN THƯỜNG VỤ"
    position: str = "CHỦ TỊCH"
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)


def normalise_narrative(narrative: Mapping[str, Any] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, text in (narrative or {}).items():
        if isinstance(text, str) and text.strip():
            out[_ALIASES.get(key, key)] = text.strip()
    return out


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _counted(items: Mapping[str, Any], catalogue: Any, key: str | None = None,
             unit: str = "") -> str:
    """"tin, bài báo: 3; mạng xã hội: 1" from {code: n or {key: n}}: labels contain commas,
    so the items are separated by semicolons."""
    parts = []
    for code, value in items.items():
        n = value.get(key) if key and isinstance(value, Mapping) else value
        try:
            label = str(catalogue(code).label)
        except ValueError:
            label = code
        if not label[1:2].isupper():  # "OCOP" stays as it is
            label = label[:1].lower() + label[1:]
        if n:
            parts.append(f"{label}: {fmt_int(n)} {unit}".rstrip())
    return "; ".join(parts)


class _Figures:
    def __init__(self, indicators: Mapping[str, Any], activity: Mapping[str, Any],
                 start: date, end: date) -> None:
        self.ind = {str(i["code"]): i for i in indicators.get("indicators", ())}
        self.act = activity
        self.start, self.end = start, end
        self.title = period_title(start, end)
        self.phase = phase_of(end)

    def get(self, *path: str) -> Any:
        node: Any = self.act
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        return node

    def value(self, code: str) -> Any:
        return self.ind.get(code, {}).get("value")

    def stock(self, code: str) -> str:
        """"3 HTX (chỉ tiêu 50 HTX, đạt 6,0 %)"."""
        ind = self.ind.get(code, {})
        unit = INDICATOR_UNITS.get(code, "")
        text = f"{fmt_value(code, ind.get('value'))} {unit}".strip()
        target, done = ind.get("target"), progress(ind)
        if target is not None:
            text += (f" (chỉ tiêu đến năm {self.phase[1]}: "
                     f"{fmt_target(code, target)} {unit}").rstrip()
            text += f", đạt {fmt_percent(done)})" if done is not None else ")"
        return text

    def flow(self, code: str) -> str:
        """"năm 2025: 1 HTX; lũy kế 2023–2025: 2 HTX, đạt 20,0 % chỉ tiêu giai đoạn 2023–2025"
        (the cumulative only when the period starts after its phase)."""
        ind = self.ind.get(code, {})
        unit = INDICATOR_UNITS.get(code, "")
        text = f"{self.title}: {fmt_value(code, ind.get('value'))} {unit}"
        if ind.get("cumulative") is not None and self.phase[0] < self.start.year:
            text += (f"; lũy kế {self.phase[0]}–{self.end.year}: "
                     f"{fmt_value(code, ind.get('cumulative'))} {unit}")
        done = progress(ind)
        if done is not None:
            text += (f", đạt {fmt_percent(done)} chỉ tiêu giai đoạn "
                     f"{self.phase[0]}–{self.phase[1]}")
        return text

    def percent(self, code: str) -> str:
        """"66,7 % (2/3 người; chỉ tiêu 100 %)"."""
        ind = self.ind.get(code, {})
        if ind.get("value") is None:
            return "chưa có số liệu để tính (không có đối tượng trong phạm vi báo cáo)"
        text = f"{fmt_value(code, ind['value'])}"
        if ind.get("denominator") is not None:
            text += (f" ({fmt_int(ind.get('numerator') or 0)}/{fmt_int(ind['denominator'])} "
                     "người")
            text += f"; chỉ tiêu {fmt_target(code, ind['target'])})" if ind.get("target") else ")"
        return text


def _task_sentences(f: _Figures) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {key: [] for key, _ in TASKS}
    comms = f.get("communications") or {}
    if comms.get("count"):
        forms = _counted(comms.get("by_form") or {}, CommunicationForm, "count")
        out["task1"].append(
            f"Trong {f.title}, các cấp Hội đã thực hiện {fmt_int(comms['count'])} hoạt động "
            f"truyền thông ({forms}), thu hút {fmt_int(comms.get('reach') or 0)} lượt người.")
    else:
        out["task1"].append(f"Trong {f.title}, chưa ghi nhận hoạt động truyền thông nào.")

    out["task2"].append(
        f"Đến ngày {fmt_date(f.end)}, có {f.stock('CT1')} và {f.stock('CT2')} do phụ nữ tham "
        "gia quản lý, điều hành được các cấp Hội hỗ trợ đang hoạt động.")
    out["task2"].append(
        f"Tạo việc làm ổn định cho {f.stock('CT3')} trong HTX; thu hút {f.stock('CT4')} "
        "trong THT.")
    sup = f.get("support") or {}
    if sup.get("count"):
        kinds = _counted(sup.get("by_kind") or {}, SupportKind, "count", "lượt")
        out["task2"].append(
            f"Các cấp Hội đã hỗ trợ {fmt_int(sup['count'])} lượt cho "
            f"{fmt_int(sup.get('cooperatives') or 0)} HTX, THT ({kinds}).")
    loans = f.get("loans") or {}
    if loans.get("count"):
        out["task2"].append(
            f"Hỗ trợ tiếp cận {fmt_int(loans['count'])} khoản vay với tổng số tiền "
            f"{fmt_million(loans.get('amount_vnd') or 0)} triệu đồng.")
    ocop = f.get("ocop") or {}
    if ocop.get("valid"):
        stars = ", ".join(f"{fmt_int(n)} sản phẩm {s} sao"
                          for s, n in (ocop.get("by_stars") or {}).items() if n)
        out["task2"].append(f"Có {fmt_int(ocop['valid'])} sản phẩm OCOP còn hiệu lực ({stars}).")

    out["task3"].append("Tư vấn, hỗ trợ thành lập mới HTX do phụ nữ tham gia quản lý, điều "
                        f"hành: {f.flow('CT6')}.")
    out["task3"].append(f"Tạo việc làm mới cho lao động nữ trong các HTX thành lập mới: "
                        f"{f.flow('CT7')}.")
    conversions = (f.get("conversions") or {}).get("count")
    if conversions:
        out["task3"].append(f"Có {fmt_int(conversions)} THT chuyển đổi thành HTX.")

    ev = f.get("events") or {}
    if ev.get("count"):
        types = _counted(ev.get("by_type") or {}, EventType, "count")
        minority = f.get("ethnic_minority", "event_person_times") or 0
        out["task4"].append(
            f"Các cấp Hội đã tổ chức {fmt_int(ev['count'])} hoạt động ({types}) với "
            f"{fmt_int(ev.get('person_times') or 0)} lượt người tham dự, trong đó "
            f"{fmt_int(ev.get('female_person_times') or 0)} lượt nữ"
            + (f", {fmt_int(minority)} lượt người dân tộc thiểu số." if minority else "."))
        total = sum((ev.get("funding_vnd") or {}).values())
        if total:
            out["task4"].append(f"Tổng kinh phí tổ chức: {fmt_million(total)} triệu đồng.")
    out["task4"].append("Tỷ lệ nữ quản lý HTX được đào tạo, bồi dưỡng nâng cao năng lực quản "
                        f"trị, điều hành: {f.percent('CT5')}.")
    jobs = f.get("job_placements") or {}
    if jobs.get("count"):
        placed = sum(int(g.get("women_placed") or 0)
                     for g in (jobs.get("by_priority_group") or {}).values())
        text = (f"Giới thiệu, kết nối việc làm cho {fmt_int(jobs.get('women') or 0)} phụ nữ "
                f"({fmt_int(jobs.get('new_jobs') or 0)} việc làm mới, "
                f"{fmt_int(jobs.get('stable') or 0)} việc làm ổn định)")
        if placed:
            text += f"; {fmt_int(placed)} lượt phụ nữ thuộc các nhóm ưu tiên có việc làm"
        out["task4"].append(text + ".")

    out["task5"].append(
        "Cán bộ Hội làm công tác hỗ trợ phát triển KTTT, HTX được tập huấn kiến thức: "
        f"{f.percent('CT8')}; cán bộ Hội các cấp được nâng cao kỹ năng tuyên truyền, vận động: "
        f"{f.percent('CT9')}.")
    plan = f.get("plan_status", "by_status") or {}
    if any(plan.values()):
        out["task5"].append(
            f"Tình hình thực hiện các nội dung của Kế hoạch năm {f.end.year}: đã hoàn thành "
            f"{fmt_int(plan.get('done', 0))}, đang triển khai "
            f"{fmt_int(plan.get('in_progress', 0))}, chưa triển khai "
            f"{fmt_int(plan.get('not_started', 0))}.")

    international = (ev.get("funding_vnd") or {}).get("international")
    if international:
        out["task6"].append("Kinh phí huy động từ các tổ chức quốc tế: "
                            f"{fmt_million(international)} triệu đồng.")
    return out


def body_blocks(*, indicators: Mapping[str, Any], activity: Mapping[str, Any],
                narrative: Mapping[str, Any] | None, issuer_name: str, start: date,
                end: date) -> list[tuple[str, str]]:
    """Sections I–IV of the report, each with the officer's text and the figures.
    `issuer_name` is the issuing body in running text ("Hội LHPN phường Phan Đình Phùng")."""
    text = normalise_narrative(narrative)
    f = _Figures(indicators, activity, start, end)
    blocks: list[tuple[str, str]] = []

    def section(key: str, generated: Sequence[str] = ()) -> None:
        paras = [*paragraphs(text.get(key, "")), *generated]
        blocks.extend(("p", sentence_case(p)) for p in (paras or [NEUTRAL]))

    intro = text.get("intro") or (
        "Thực hiện Quyết định số 01/QĐ-TTg ngày 03/01/2023 của Thủ tướng Chính phủ phê duyệt Đề "
        f"án “Hỗ trợ hợp tác xã do phụ nữ tham gia quản lý, tạo việc làm cho lao động nữ đến năm "
        f"2030” và Kế hoạch thực hiện Đề án của tỉnh, {issuer_name} báo cáo kết quả thực hiện "
        f"{f.title} như sau:")
    blocks.extend(("p", sentence_case(p)) for p in paragraphs(intro))

    blocks.append(("h1", f"I. KẾT QUẢ THỰC HIỆN {f.title.upper()}"))
    generated = _task_sentences(f)
    for number, (key, title) in enumerate(TASKS, start=1):
        blocks.append(("h2", f"{number}. {title}"))
        section(key, generated[key])

    blocks.append(("h1", "II. ĐÁNH GIÁ CHUNG"))
    blocks.append(("h2", "1. Kết quả đạt được"))
    summary = [met_sentence(f.ind.values(), f.phase)] if f.ind else []
    section("achievements", summary)
    blocks.append(("h2", "2. Tồn tại, hạn chế, khó khăn và nguyên nhân"))
    section("shortcomings")
    blocks.append(("h1", f"III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {end.year + 1}"))
    section("next_year", [] if text.get("next_year") else [
        "Tiếp tục triển khai các nhiệm vụ, giải pháp của Kế hoạch thực hiện Đề án; phấn đấu "
        f"hoàn thành các chỉ tiêu đến năm {phase_of(date(end.year + 1, 12, 31))[1]}."])
    blocks.append(("h1", "IV. ĐỀ XUẤT, KIẾN NGHỊ"))
    section("proposals")
    return blocks


def met_sentence(indicators: Iterable[Mapping[str, Any]], phase: tuple[int, int]) -> str:
    """"Đến hết kỳ báo cáo, đã đạt hoặc vượt 6/9 chỉ tiêu …", counted over every indicator
    the report lists, naming those that have no target to compare with."""
    listed = list(indicators)
    if all(progress(i) is None for i in listed):
        return (f"Đơn vị chưa có mức chỉ tiêu giai đoạn {phase[0]}–{phase[1]} để đánh giá "
                "mức độ hoàn thành các chỉ tiêu.")
    met = sum(1 for i in listed if (progress(i) or 0) >= 100)
    text = (f"Đến hết kỳ báo cáo, đã đạt hoặc vượt {fmt_int(met)}/{fmt_int(len(listed))} chỉ "
            "tiêu đề ra")
    open_ = [str(i["code"]) for i in listed if progress(i) is None]
    if open_:
        text += (f" ({', '.join(open_)} chưa có mức chỉ tiêu giai đoạn {phase[0]}–{phase[1]} "
                 "hoặc chưa có số liệu để so sánh)")
    return text + "."


def indicator_rows(indicators: Mapping[str, Any], end: date) -> list[tuple[str, ...]]:
    """Rows of the indicator table: code, text, result, cumulative, target, % of target."""
    rows: list[tuple[str, ...]] = []
    for ind in indicators.get("indicators", ()):
        code = str(ind["code"])
        text = indicator_text(code, end) + (" (%)" if code in PERCENT_CODES else "")
        done = progress(ind)
        rows.append((code, text, fmt_value(code, ind.get("value")),
                     fmt_value(code, ind.get("cumulative")) if ind.get("cumulative") is not None
                     else "", fmt_target(code, ind.get("target")) if ind.get("target") is not None
                     else "", fmt_percent(done) if done is not None else ""))
    return rows
