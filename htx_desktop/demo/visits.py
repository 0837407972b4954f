"""Demo supervision visits: Union officers visit some cooperatives, a few times over the years.

Drawn from a chance source of their own (`visits_context`), after everything else, so that
adding the kind left every other demo record as it was (same seed, same rows).
"""

from __future__ import annotations

import random
from datetime import timedelta

from htx_desktop.demo.base import DemoContext
from htx_desktop.demo.coops import CoopWorld
from htx_desktop.demo.names import Picker
from htx_desktop.store.models import SupervisionVisit

# Who goes, by position and unit only: no one's name is needed.
_VISITORS = Picker([
    ("Chủ tịch {union}; cán bộ phụ trách kinh tế tập thể", 30),
    ("Phó Chủ tịch {union}; Chi hội trưởng phụ nữ thôn", 20),
    ("Ban Kinh tế Hội LHPN tỉnh; Chủ tịch {union}", 15),
    ("Cán bộ phụ trách HTX của {union}", 25),
    ("Đoàn liên ngành: {union}, Phòng Kinh tế, Liên minh HTX tỉnh", 10),
])
_FINDINGS = Picker([
    ("HTX hoạt động ổn định, sổ sách ghi chép đầy đủ; lao động nữ có việc làm thường xuyên.", 30),
    ("Sản xuất duy trì; chưa xây dựng kế hoạch kinh doanh năm, báo cáo tài chính chậm.", 20),
    ("Đã đưa sản phẩm lên sàn thương mại điện tử; bao bì, nhãn mác chưa đồng bộ.", 15),
    ("Số thành viên giảm so với năm trước; một số thành viên chưa góp đủ vốn.", 15),
    ("Mô hình có hiệu quả, thu nhập của lao động nữ tăng; cần nhân rộng.", 20),
])
_FOLLOW_UP = Picker([
    ("Xây dựng kế hoạch sản xuất, kinh doanh năm và gửi Hội LHPN xã.", 25),
    ("Hoàn thiện hồ sơ đăng ký nhãn hiệu, truy xuất nguồn gốc sản phẩm.", 20),
    ("Rà soát, cập nhật danh sách thành viên và phần vốn góp.", 20),
    ("Lập hồ sơ đề nghị hỗ trợ vay vốn Ngân hàng Chính sách xã hội.", 15),
    ("Đăng ký tham gia chương trình OCOP năm sau.", 20),
])


def visits_context(ctx: DemoContext, seed: int) -> DemoContext:
    """A context of the same day and scale, with its own chance source and rows."""
    return DemoContext(random.Random(f"supervision-visits-{seed}"), ctx.today, ctx.scale)


def generate_visits(ctx: DemoContext, world: CoopWorld, years: list[int]) -> int:
    """Visits to active cooperatives: women-managed and Union-supported ones more often.
    Returns how many were made."""
    rng = ctx.rng
    made = 0
    for coop in world.coops:
        p = 0.35 if coop.women_managed or coop.union_supported else 0.1
        for year in years:
            if not ctx.chance(p):
                continue
            day = ctx.date_in_year(year, first=coop.founded)
            if day is None or not coop.active_on(day):
                continue
            row = ctx.record(day, coop.unit.id)
            follow_up = _FOLLOW_UP.pick(rng) if rng.random() < 0.7 else None
            due = day + timedelta(days=rng.choice((30, 60, 90))) if follow_up else None
            done = bool(due and due < ctx.today and rng.random() < 0.7)
            row.update(cooperative_id=coop.id, on=day,
                       visitors=_VISITORS.pick(rng).format(union=coop.unit.union),
                       findings=_FINDINGS.pick(rng), follow_up=follow_up, follow_up_due=due,
                       follow_up_done=done)
            ctx.add(SupervisionVisit, row)
            made += 1
    return made
