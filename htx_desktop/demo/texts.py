"""Demo texts: the yearly status of each plan line and the officer's report narratives.

The texts quote figures computed from the generated records (events, support, communication,
cooperatives), so a demo report reads consistently with its own tables. Phrasing is drawn from
small pools of sentences with the seeded random source, so different seeds read differently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from htx_desktop.demo.activities import COUNTING, CadreInfo, EventInfo
from htx_desktop.demo.base import DemoContext, DemoUnit
from htx_desktop.demo.coops import CoopWorld, Span
from htx_desktop.demo.support import Activity
from htx_desktop.store.models import CooperativeYear, Narrative, PlanLineStatus

SECTIONS = ("task1", "task2", "task3", "task4", "task5", "task6", "achievements",
            "shortcomings", "next_year", "proposals")


@dataclass(frozen=True)
class LineInfo:
    code: str
    year_from: int
    year_to: int


def _n(value: float) -> str:
    """12345 -> '12.345' (Vietnamese thousands separator)."""
    return f"{round(value):,}".replace(",", ".")


def _period_end(ctx: DemoContext, year: int) -> date:
    return min(date(year, 12, 31), ctx.today)


# --------------------------------------------------------------------------- figures


class Figures:
    """Flows per (unit, year) and stocks per (unit, year end), summed over subtrees."""

    def __init__(self, ctx: DemoContext, units: Sequence[DemoUnit], world: CoopWorld,
                 cadres: list[CadreInfo], events: list[EventInfo],
                 support: list[Activity], communications: list[Activity],
                 jobs: list[tuple[int, int]], years: list[int]) -> None:
        self.flows: dict[tuple[int, int], Counter[str]] = {}
        self.stocks: dict[tuple[int, int], Counter[str]] = {}
        self.by_line: dict[tuple[int, str, int], Counter[str]] = {}
        for e in events:
            flow = self._flow(e.unit.id, e.start.year)
            flow["events"] += 1
            flow["participants"] += e.counted + len(e.named)
            flow["conferences"] += e.type == "hoi_nghi"
            flow["trainings"] += e.type in ("tap_huan", "dao_tao_nghe")
            flow["vocational"] += e.type == "dao_tao_nghe"
            if e.plan_line:
                line = self._line(e.unit.id, e.plan_line, e.start.year)
                line["events"] += 1
                line["participants"] += e.counted + len(e.named)
        for s in support:
            flow = self._flow(s.unit_id, s.year)
            flow["support"] += 1
            if s.kind == "credit":
                flow["loans"] += 1
                flow["loan_money"] += s.amount
            if s.plan_line:
                line = self._line(s.unit_id, s.plan_line, s.year)
                line["support"] += 1
                line["money"] += s.amount
        for c in communications:
            flow = self._flow(c.unit_id, c.year)
            flow["comms"] += 1
            flow["reach"] += c.amount
            if c.plan_line:
                line = self._line(c.unit_id, c.plan_line, c.year)
                line["comms"] += 1
                line["reach"] += c.amount
        for unit_id, year in jobs:
            self._flow(unit_id, year)["jobs"] += 1
        self._cooperatives(ctx, world, years)
        for year in years:
            end = _period_end(ctx, year)
            for cadre in cadres:
                if cadre.active_on(end):
                    stock = self._stock(cadre.unit.id, year)
                    stock["cadres"] += 1
                    stock["kttt"] += cadre.kttt
        self.subtree = _subtrees(units)

    def _flow(self, unit_id: int, year: int) -> Counter[str]:
        return self.flows.setdefault((unit_id, year), Counter())

    def _stock(self, unit_id: int, year: int) -> Counter[str]:
        return self.stocks.setdefault((unit_id, year), Counter())

    def _line(self, unit_id: int, line: str, year: int) -> Counter[str]:
        return self.by_line.setdefault((unit_id, line, year), Counter())

    def _cooperatives(self, ctx: DemoContext, world: CoopWorld, years: list[int]) -> None:
        leaders: dict[str, list[Span]] = {}
        for span in world.spans:
            if span.person.female and (span.position in COUNTING or (
                    span.coop.kind == "tht" and span.position == "group_leader")):
                leaders.setdefault(span.coop.id, []).append(span)
        unit_of = {c.id: c.unit.id for c in world.coops}
        for coop in world.coops:
            for year in years:
                if coop.founded.year == year:
                    flow = self._flow(coop.unit.id, year)
                    flow["new_htx"] += coop.kind == "htx"
                    flow["new_wm"] += (coop.kind == "htx" and coop.women_managed
                                       and coop.union_supported)
                if coop.converted and coop.ends and coop.ends.year == year:
                    self._flow(coop.unit.id, year)["conversions"] += 1
                end = _period_end(ctx, year)
                if not coop.active_on(end):
                    continue
                stock = self._stock(coop.unit.id, year)
                stock[coop.kind] += 1
                if coop.kind == "htx" and any(s.holds_on(end) for s in leaders.get(coop.id, [])):
                    stock["wm"] += 1
        for row in ctx.rows.get(CooperativeYear, []):
            flow = self._flow(unit_of[row["cooperative_id"]], row["year"])
            flow["new_female_jobs"] += row["new_female_jobs"] or 0
            flow["revenue"] += row["revenue_vnd"] or 0
            flow["income"] += row["avg_monthly_income_vnd"] or 0
            flow["figures"] += 1

    def period(self, unit_id: int, years: Sequence[int]) -> Counter[str]:
        """Flows over the years and stocks at the end of the last, for the unit's subtree."""
        out: Counter[str] = Counter()
        for member in self.subtree[unit_id]:
            for year in years:
                out.update(self.flows.get((member, year), Counter()))
            out.update(self.stocks.get((member, years[-1]), Counter()))
        return out


def _subtrees(units: Sequence[DemoUnit]) -> dict[int, list[int]]:
    children: dict[int | None, list[int]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit.id)
    out: dict[int, list[int]] = {}
    for unit in units:
        stack, members = [unit.id], []
        while stack:
            current = stack.pop()
            members.append(current)
            stack.extend(children.get(current, []))
        out[unit.id] = sorted(members)
    return out


# --------------------------------------------------------------------------- plan status

_PROVINCE_MILESTONES = {
    "I.1": "Ban hành Kế hoạch thực hiện Đề án giai đoạn 2023-2030 của Hội LHPN tỉnh.",
    "I.2": "Tham mưu thành lập Ban Chỉ đạo thực hiện Đề án cấp tỉnh, cấp huyện.",
    "I.3": "Tổ chức Hội nghị triển khai Kế hoạch thực hiện Đề án và kế hoạch năm 2023.",
    "III.6": "Phối hợp Liên minh HTX tỉnh lựa chọn, xây dựng mô hình thí điểm "
             "\"HTX kiểu mới do nữ dân tộc quản lý\".",
    "V.2": "Tổ chức Hội nghị sơ kết 3 năm thực hiện Đề án.",
}
_GENERIC_ONGOING = (
    "Phối hợp triển khai theo kế hoạch của cấp trên.",
    "Lồng ghép trong các hoạt động thường xuyên của Hội.",
    "Phối hợp với các ngành liên quan triển khai thực hiện.",
)


def plan_status_rows(ctx: DemoContext, units: Sequence[DemoUnit], lines: Sequence[LineInfo],
                     figures: Figures, years: list[int]) -> int:
    rng = ctx.rng
    made = 0
    for unit in units:
        upper = unit.level != "xa"
        for line in lines:
            for year in years:
                got = figures.by_line.get((unit.id, line.code, year), Counter())
                if year < line.year_from:
                    status, text = "not_started", (
                        f"Chưa đến thời gian thực hiện (từ năm {line.year_from}).")
                elif year > line.year_to:
                    status, text = "done", "Đã hoàn thành theo kế hoạch."
                elif got:
                    status = "done" if year < ctx.today.year else "in_progress"
                    text = _activity_text(got)
                elif upper and line.code in _PROVINCE_MILESTONES:
                    status, text = "done", _PROVINCE_MILESTONES[line.code]
                elif upper or ctx.chance(0.6):
                    status, text = "in_progress", rng.choice(_GENERIC_ONGOING)
                else:
                    status, text = "not_started", "Chưa triển khai trong năm."
                row = ctx.record(_period_end(ctx, year), unit.id)
                row.update(line_code=line.code, year=year, status=status, result=text)
                ctx.add(PlanLineStatus, row)
                made += 1
    return made


def _activity_text(got: Counter[str]) -> str:
    parts = []
    if got["events"]:
        parts.append(f"Tổ chức {_n(got['events'])} hoạt động với "
                     f"{_n(got['participants'])} lượt người tham gia")
    if got["support"]:
        money = f", tổng giá trị {_n(got['money'] / 1e6)} triệu đồng" if got["money"] else ""
        parts.append(f"hỗ trợ {_n(got['support'])} lượt HTX, THT{money}")
    if got["comms"]:
        parts.append(f"thực hiện {_n(got['comms'])} hoạt động truyền thông, tiếp cận "
                     f"{_n(got['reach'])} lượt người")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


# --------------------------------------------------------------------------- narratives


def narrative_rows(ctx: DemoContext, units: Sequence[DemoUnit], figures: Figures,
                   years: list[int]) -> int:
    periods: list[tuple[str, list[int]]] = [(str(y), [y]) for y in years]
    periods.append(("2023-2025", [y for y in (2023, 2024, 2025) if y in years] or years[:1]))
    made = 0
    for unit in units:
        for label, span in periods:
            texts = _Narrator(ctx, unit, label, span, figures.period(unit.id, span)).sections()
            stamp = ctx.stamp(_period_end(ctx, span[-1]))
            for section in SECTIONS:
                ctx.add(Narrative, {"unit_id": unit.id, "period": label, "section": section,
                                    "text": texts[section], "updated_at": stamp})
                made += 1
    return made


class _Narrator:
    def __init__(self, ctx: DemoContext, unit: DemoUnit, label: str, years: list[int],
                 f: Counter[str]) -> None:
        self.ctx, self.unit, self.f = ctx, unit, f
        self.rng = ctx.rng
        many = len(years) > 1
        self.period = f"giai đoạn {label.replace('-', '–')}" if many else f"năm {label}"
        self.scope = {"tinh": "toàn tỉnh", "huyen": "toàn huyện"}.get(
            unit.level, "toàn phường" if unit.is_ward else "toàn xã")
        self.end_phrase = f"cuối năm {years[-1]}" if _period_end(ctx, years[-1]).month == 12 \
            else f"ngày {_period_end(ctx, years[-1]):%d/%m/%Y}"
        self.next_year = years[-1] + 1
        self.covers_2025 = 2025 in years and ctx.today >= date(2025, 7, 1)

    def pick(self, options: Sequence[str], k: int = 1) -> str:
        return " ".join(self.rng.sample(list(options), min(k, len(options))))

    def sections(self) -> dict[str, str]:
        return {"task1": self.task1(), "task2": self.task2(), "task3": self.task3(),
                "task4": self.task4(), "task5": self.task5(), "task6": self.task6(),
                "achievements": self.achievements(), "shortcomings": self.shortcomings(),
                "next_year": self.next(), "proposals": self.proposals()}

    # The narratives hold no figures: the report writes each figure next to them from the
    # computed indicators and activity (reports/report_text.py), and a number typed here
    # could only contradict the report's own tables (issue 22).

    def task1(self) -> str:
        union = self.unit.union
        lead = self.pick((
            f"Trong {self.period}, {union} đã tổ chức tuyên truyền về Đề án và các chủ trương, "
            "chính sách của Đảng, pháp luật của Nhà nước về kinh tế tập thể; hội nghị tuyên "
            "truyền được lồng ghép trong sinh hoạt chi hội, tổ phụ nữ.",
            f"Công tác tuyên truyền được đổi mới về hình thức: bên cạnh hội nghị trực tiếp, "
            f"{union} đẩy mạnh truyền thông trên mạng xã hội và trang thông tin điện tử về Luật "
            "Hợp tác xã năm 2023 và lợi ích khi tham gia HTX, THT.",
        ))
        return lead + " " + self.pick((
            "Nhiều gương phụ nữ làm kinh tế tập thể giỏi được giới thiệu, lan tỏa trong hội viên.",
            "Nhận thức của cán bộ, hội viên về vai trò của kinh tế tập thể từng bước được nâng "
            "lên.",
            "Các sản phẩm của HTX do phụ nữ quản lý được quảng bá trên trang Facebook của Hội.",
        ))

    def task2(self) -> str:
        f, union = self.f, self.unit.union
        loans = (" và phối hợp với ngân hàng giúp HTX, THT tiếp cận vốn vay ưu đãi"
                 if f["loans"] else "")
        return self.pick((
            f"{union} tiếp tục củng cố, nâng cao hiệu quả hoạt động của các HTX, THT do phụ nữ "
            f"tham gia quản lý; hỗ trợ về hội chợ, thương mại điện tử, nhãn hiệu, truy xuất "
            f"nguồn gốc{loans}.",
            f"{union} thường xuyên nắm tình hình hoạt động của các HTX, THT trên địa bàn, kịp "
            f"thời hỗ trợ tháo gỡ khó khăn{loans}; nhiều HTX tham gia hội chợ, đưa sản phẩm lên "
            "sàn thương mại điện tử.",
        ))

    def task3(self) -> str:
        f, union = self.f, self.unit.union
        if f["new_wm"]:
            conversions = (", hỗ trợ THT đủ điều kiện chuyển đổi thành HTX"
                           if f["conversions"] else "")
            return (f"{union} đã vận động, tư vấn thủ tục và hỗ trợ thành lập mới HTX do phụ "
                    f"nữ làm chủ{conversions}; kết nối giới thiệu việc làm cho phụ nữ tại các "
                    "HTX, THT.")
        return (f"Trong {self.period}, {union} tích cực tuyên truyền, vận động hội viên thành "
                "lập HTX, THT nhưng chưa có HTX do phụ nữ làm chủ mới thành lập với sự hỗ trợ "
                "của Hội; tiếp tục kết nối giới thiệu việc làm cho phụ nữ tại các HTX, THT.")

    def task4(self) -> str:
        union = self.unit.union
        return (f"{union} tổ chức tập huấn, bồi dưỡng, đào tạo nghề cho cán bộ Hội, cán bộ "
                "quản lý và thành viên HTX, THT. " + self.pick((
                    "Nội dung tập huấn tập trung vào kỹ năng quản lý, điều hành, xây dựng phương "
                    "án sản xuất kinh doanh, chuyển đổi số và thương mại điện tử.",
                    "Sau tập huấn, nhiều cán bộ quản lý HTX đã ứng dụng phần mềm kế toán, bán "
                    "hàng trực tuyến, truy xuất nguồn gốc sản phẩm.",
                )))

    def task5(self) -> str:
        union = self.unit.union
        text = (f"Ban Thường vụ {union} ban hành kế hoạch triển khai Đề án {self.period}, phân "
                "công cán bộ theo dõi, phụ trách công tác kinh tế tập thể; định kỳ kiểm tra, "
                "giám sát việc thực hiện tại cơ sở. ")
        text += self.pick((
            "Công tác phối hợp với Liên minh HTX, các sở, ngành và chính quyền cùng cấp được duy "
            "trì, tạo sự thống nhất trong chỉ đạo.",
            "Việc thực hiện Đề án được đưa vào nội dung giao ban định kỳ của Hội.",
        ))
        if self.covers_2025:
            text += (" Sau sắp xếp đơn vị hành chính từ ngày 01/7/2025, Hội kịp thời kiện toàn "
                     "đội ngũ cán bộ, bàn giao hồ sơ theo dõi HTX, THT cho các xã, phường mới.")
        return text

    def task6(self) -> str:
        if self.unit.level == "tinh":
            return self.pick((
                "Phối hợp với các tổ chức quốc tế lồng ghép nguồn lực hỗ trợ nâng cao năng lực "
                "cho HTX do phụ nữ quản lý; học tập, chia sẻ kinh nghiệm về mô hình HTX kiểu mới.",
                "Tiếp tục tìm kiếm, kết nối các chương trình, dự án quốc tế hỗ trợ phụ nữ phát "
                "triển kinh tế tập thể.",
            ))
        return self.pick((
            "Không phát sinh hoạt động hợp tác quốc tế trong kỳ.",
            "Chưa có hoạt động hợp tác quốc tế; Hội tích cực tìm hiểu các chương trình, dự án hỗ "
            "trợ phụ nữ phát triển kinh tế tập thể.",
        ))

    def achievements(self) -> str:
        return self.pick((
            "Các HTX, THT hoạt động ổn định, doanh thu và thu nhập của người lao động từng "
            "bước được nâng lên.",
            "Vai trò của Hội trong hỗ trợ phụ nữ phát triển kinh tế tập thể ngày càng rõ nét, "
            "được cấp ủy, chính quyền ghi nhận.",
            "Nhiều HTX do phụ nữ quản lý có sản phẩm đạt chuẩn OCOP, tham gia chuỗi liên kết giá "
            "trị, tạo việc làm ổn định cho lao động nữ.",
            "Đội ngũ cán bộ Hội được tập huấn, nâng cao kỹ năng tuyên truyền, vận động và kiến "
            "thức về kinh tế tập thể.",
        ), k=2)

    def shortcomings(self) -> str:
        options = [
            "Quy mô HTX còn nhỏ, vốn ít, khả năng tiếp cận tín dụng còn hạn chế.",
            "Trình độ quản lý của một số cán bộ HTX, THT chưa đáp ứng yêu cầu; việc ứng dụng "
            "chuyển đổi số, thương mại điện tử còn chậm.",
            "Kinh phí thực hiện Đề án chủ yếu lồng ghép, chưa có nguồn riêng.",
            "Liên kết giữa các HTX do phụ nữ quản lý với doanh nghiệp còn lỏng lẻo, đầu ra sản "
            "phẩm chưa ổn định.",
            "Số liệu về HTX, THT giữa các ngành chưa thống nhất, việc theo dõi còn khó khăn.",
        ]
        if self.covers_2025:
            options.append("Việc sắp xếp đơn vị hành chính năm 2025 làm thay đổi địa bàn; một số "
                           "cán bộ Hội mới chưa có kinh nghiệm hỗ trợ HTX.")
        return self.pick(options, k=2) + " " + self.pick((
            "Nguyên nhân chủ yếu do nguồn lực còn hạn chế và một số hội viên chưa mạnh dạn tham "
            "gia mô hình kinh tế tập thể.",
            "Nguyên nhân một phần do cán bộ Hội cơ sở kiêm nhiệm nhiều việc, thường xuyên thay "
            "đổi.",
        ))

    def next(self) -> str:
        return f"Năm {self.next_year}: " + self.pick((
            "Tiếp tục tuyên truyền, vận động phụ nữ tham gia phát triển kinh tế tập thể; phấn "
            "đấu mỗi năm thành lập mới HTX do phụ nữ làm chủ theo chỉ tiêu của Kế hoạch.",
            "Tổ chức tập huấn nâng cao năng lực quản lý, chuyển đổi số cho tất cả cán bộ quản "
            "lý HTX là nữ.",
            "Phối hợp hỗ trợ HTX xây dựng sản phẩm OCOP, tham gia hội chợ, đưa sản phẩm lên sàn "
            "thương mại điện tử.",
            "Rà soát, cập nhật cơ sở dữ liệu HTX, THT do phụ nữ quản lý, báo cáo đúng hạn.",
        ), k=3)

    def proposals(self) -> str:
        if self.unit.level == "tinh":
            return self.pick((
                "Đề nghị UBND tỉnh bố trí kinh phí riêng để thực hiện Đề án.",
                "Đề nghị Liên minh HTX tỉnh phối hợp chặt chẽ trong hỗ trợ thành lập mới HTX do "
                "phụ nữ làm chủ.",
                "Đề nghị Ngân hàng Chính sách xã hội tăng nguồn vốn ủy thác cho vay đối với HTX do "
                "phụ nữ quản lý.",
                "Đề nghị Trung ương Hội LHPN Việt Nam tổ chức các lớp tập huấn chuyên sâu cho cán "
                "bộ Hội phụ trách kinh tế tập thể.",
            ), k=2)
        return self.pick((
            "Đề nghị Hội LHPN tỉnh tiếp tục mở các lớp tập huấn về quản lý HTX, thương mại điện "
            "tử cho cán bộ cơ sở.",
            "Đề nghị cấp ủy, chính quyền địa phương quan tâm bố trí kinh phí hỗ trợ HTX, THT do "
            "phụ nữ quản lý.",
            "Đề nghị các ngân hàng tạo điều kiện cho HTX do phụ nữ quản lý tiếp cận vốn vay ưu "
            "đãi.",
        ), k=2)
