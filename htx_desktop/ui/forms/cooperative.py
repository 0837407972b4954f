"""The cooperative form: general data, status and support flags, sectors, yearly figures,
OCOP products, management positions (a new woman can be added as a person from the row)."""

from __future__ import annotations

from typing import Any

from htx_desktop.i18n import t
from htx_desktop.ui.forms.auto import auto_fields
from htx_desktop.ui.forms.base import F, FormDialog


class CooperativeForm(FormDialog):
    KIND = "cooperative"
    TITLE_NEW = t("Thêm hợp tác xã / tổ hợp tác")
    TITLE_EDIT = t("Sửa hợp tác xã / tổ hợp tác")

    def fields(self) -> list[F]:
        status, flags = t("Trạng thái & hỗ trợ"), t("Lĩnh vực & sản phẩm")
        tabs = {name: status for name in (
            "status", "status_on", "converted_to_id", "union_supported", "union_supported_on",
            "union_support_level", "value_chain", "science_tech", "digital", "ecommerce",
            "trademark", "traceability", "ip_registered", "ethnic_pilot_model",
            "many_jobs_override", "many_jobs_reason")}
        tabs.update({"sectors": flags, "main_products": flags,
                     "ocop_products": flags,
                     "yearly": t("Số liệu hằng năm"), "positions": t("Chức vụ quản lý")})
        return auto_fields(self.ctx, self.KIND, tabs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resize(900, 620)
