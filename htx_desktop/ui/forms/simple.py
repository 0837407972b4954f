"""The forms of the record kinds without child tables: person, cadre, job placement,
support, communication, award, plan-line status."""

from __future__ import annotations

from datetime import date

from htx_desktop.domain.catalogues import SENSITIVE_GROUPS
from htx_desktop.domain.fields import FIELDS
from htx_desktop.i18n import t
from htx_desktop.ui.forms.auto import auto_fields
from htx_desktop.ui.forms.base import F, FormDialog


class PersonForm(FormDialog):
    KIND = "person"
    TITLE_NEW = t("Thêm người")
    TITLE_EDIT = t("Sửa thông tin người")

    def fields(self) -> list[F]:
        priority = t("Nhóm ưu tiên")
        sensitive = "⚠ " + t("Thông tin nhạy cảm")
        tabs = {name: priority for name in (
            "poor", "near_poor", "ethnic_minority", "disability", "reintegrated",
            "unsafe_migrant", "laid_off_worker")}
        tabs.update({name: sensitive for name in SENSITIVE_GROUPS})
        fields = auto_fields(self.ctx, self.KIND, tabs)
        first = next(i for i, f in enumerate(fields) if f.tab == sensitive)
        fields[first].before = t(
            "Dữ liệu cá nhân nhạy cảm (Nghị định 13/2023/NĐ-CP): chỉ ghi khi người đó đồng ý; "
            "không bao giờ rời khỏi máy này, báo cáo chỉ gửi số lượng.")
        # the sensitive group: last of all, so it is never filled in passing
        return [f for f in fields if f.tab != sensitive] + [
            f for f in fields if f.tab == sensitive]


class CadreForm(FormDialog):
    KIND = "cadre"
    TITLE_NEW = t("Thêm cán bộ Hội")
    TITLE_EDIT = t("Sửa cán bộ Hội")

    def fields(self) -> list[F]:
        return auto_fields(self.ctx, self.KIND)


class JobPlacementForm(FormDialog):
    KIND = "job_placement"
    TITLE_NEW = t("Thêm việc làm")
    TITLE_EDIT = t("Sửa việc làm")

    def fields(self) -> list[F]:
        return auto_fields(self.ctx, self.KIND)


class SupportForm(FormDialog):
    KIND = "support"
    TITLE_NEW = t("Thêm hỗ trợ HTX")
    TITLE_EDIT = t("Sửa hỗ trợ HTX")

    def fields(self) -> list[F]:
        return auto_fields(self.ctx, self.KIND)


class CommunicationForm(FormDialog):
    KIND = "communication"
    TITLE_NEW = t("Thêm hoạt động truyền thông")
    TITLE_EDIT = t("Sửa hoạt động truyền thông")

    def fields(self) -> list[F]:
        return auto_fields(self.ctx, self.KIND)


class AwardForm(FormDialog):
    KIND = "award"
    TITLE_NEW = t("Thêm khen thưởng")
    TITLE_EDIT = t("Sửa khen thưởng")

    def fields(self) -> list[F]:
        return auto_fields(self.ctx, self.KIND)


class PlanStatusForm(FormDialog):
    KIND = "plan_status"
    TITLE_NEW = t("Cập nhật tình hình thực hiện kế hoạch")
    TITLE_EDIT = t("Cập nhật tình hình thực hiện kế hoạch")

    def fields(self) -> list[F]:
        return auto_fields(self.ctx, self.KIND, skip=("unit_id",))

    def values(self) -> dict[str, object]:
        values = super().values()
        values["unit_id"] = self.ctx.home_unit_id
        return values


def default_values(kind: str, home_unit_id: int,
                   home_level: str | None = None) -> dict[str, object]:
    """What a new record starts with (in a commune's folder a cadre is of the commune's
    union, in a province's of the province's)."""
    # A kind whose unit comes from another record (domain/kinds.py `unit_from`) has no
    # unit field of its own.
    values: dict[str, object] = {"unit_id": home_unit_id} if "unit_id" in FIELDS[kind] else {}
    if kind == "cadre" and home_level:
        values["level"] = home_level
    if kind in ("person", "cadre"):
        values["gender"] = "female"
    if kind == "cooperative":  # only its name is needed to save it (all changeable)
        values.update(kind="htx", status="active")
    if kind == "plan_status":
        values["year"] = date.today().year
    return values
