"""Word lists for the demo data: Vietnamese names by ethnic group, villages, cooperative products.

Plain data and one weighted picker; nothing here touches the database. Weights are rough
shares seen in Thái Nguyên (tea first, then rice, livestock and services), not statistics.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class Picker(Generic[T]):
    """Weighted choice with precomputed cumulative weights (the demo draws millions of times)."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = list(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


# --------------------------------------------------------------------------- ethnic groups

# Codes of Decision 121-TCTK/PPCĐ. Shares of the province's population, roughly.
KINH = "01"
ETHNIC_MINORITY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("02", 11.0),  # Tày
    ("07", 5.0),  # Nùng
    ("18", 4.5),  # Sán Dìu
    ("09", 4.0),  # Dao
    ("15", 3.0),  # Sán Chay
    ("08", 1.5),  # HMông
    ("04", 1.0),  # Hoa
)
DEMO_ETHNIC_CODES: tuple[str, ...] = (KINH, *(code for code, _ in ETHNIC_MINORITY_WEIGHTS))

SURNAMES: dict[str, Picker[str]] = {
    KINH: Picker([("Nguyễn", 30), ("Trần", 10), ("Lê", 8), ("Phạm", 6), ("Hoàng", 5),
                  ("Vũ", 4), ("Đỗ", 4), ("Ngô", 3), ("Dương", 3), ("Bùi", 3), ("Đặng", 3),
                  ("Đinh", 2), ("Hà", 2), ("Lương", 1.5), ("Phan", 1.5), ("Trịnh", 1),
                  ("Đào", 1.5), ("Lý", 1), ("Tạ", 1), ("Mai", 1), ("Chu", 1), ("Cao", 1)]),
    "02": Picker([("Hoàng", 8), ("Ma", 6), ("Nông", 6), ("Lương", 4), ("Hà", 4),
                  ("Triệu", 3), ("Lăng", 2), ("Mông", 2), ("Đàm", 2), ("Nguyễn", 2),
                  ("Lục", 1.5), ("Hứa", 1)]),
    "07": Picker([("Hoàng", 6), ("Nông", 5), ("Lý", 4), ("Vi", 3), ("Lương", 3),
                  ("Triệu", 2), ("Hà", 2), ("Lô", 1)]),
    "18": Picker([("Trần", 5), ("Diệp", 4), ("Lục", 3), ("Tạ", 2), ("Lam", 2), ("Phan", 2),
                  ("Dương", 2), ("Lê", 1)]),
    "09": Picker([("Triệu", 6), ("Bàn", 5), ("Đặng", 5), ("Lý", 3), ("Chảo", 2),
                  ("Phùng", 1)]),
    "15": Picker([("Hoàng", 5), ("Lâm", 4), ("Trần", 3), ("Sầm", 2), ("Nịnh", 2), ("La", 1)]),
    "08": Picker([("Giàng", 5), ("Lầu", 3), ("Vàng", 3), ("Sùng", 3), ("Thào", 2),
                  ("Mùa", 2), ("Lý", 2), ("Hầu", 1)]),
    "04": Picker([("Lưu", 3), ("Trương", 3), ("Hà", 2), ("Lý", 2), ("Dương", 1),
                  ("Lâm", 1)]),
}

FEMALE_MIDDLE = Picker([("Thị", 70), ("Thu", 4), ("Ngọc", 4), ("Thanh", 4), ("Minh", 3),
                        ("Hồng", 3), ("Kim", 3), ("Phương", 2), ("Bích", 2), ("Thúy", 2),
                        ("Mai", 2), ("Diệu", 1)])
MALE_MIDDLE = Picker([("Văn", 60), ("Đức", 8), ("Minh", 6), ("Quang", 5), ("Xuân", 4),
                      ("Hữu", 5), ("Công", 4), ("Ngọc", 3), ("Thế", 3), ("Mạnh", 2)])
FEMALE_GIVEN = Picker([(n, 1.0) for n in (
    "Hoa", "Lan", "Hương", "Hằng", "Hạnh", "Huyền", "Thủy", "Thảo", "Nga", "Nhung", "Dung",
    "Liên", "Loan", "Mai", "Phượng", "Yến", "Oanh", "Tuyết", "Xuân", "Vân", "Hiền", "Hồng",
    "Lý", "Trang", "Ngọc", "Nguyệt", "Ánh", "Bích", "Chinh", "Duyên", "Giang", "Hà", "Hậu",
    "Khuyên", "Lụa", "Mến", "Nhàn", "Quyên", "Sen", "Tâm", "Thắm", "Thơ", "Thúy", "Tươi",
    "Uyên", "Vui", "Linh", "Phương", "Thu", "Lệ", "Minh", "Hòa", "Quỳnh", "Nhài", "Chung",
    "Đào", "Thoa", "Luyến", "Hải", "Hường")])
MALE_GIVEN = Picker([(n, 1.0) for n in (
    "Hùng", "Dũng", "Tuấn", "Thắng", "Hải", "Long", "Nam", "Sơn", "Bình", "Cường", "Quân",
    "Toàn", "Trung", "Khánh", "Thành", "Mạnh", "Hưng", "Việt", "Phong", "Lâm", "Tùng",
    "Chiến", "Hòa", "Kiên", "Đạt", "Tiến", "Thịnh", "Vinh", "Quý", "Hiếu")])

# --------------------------------------------------------------------------- places

VILLAGE_STEMS: tuple[str, ...] = (
    "Đồng Kiệm", "Bãi Bằng", "Soi Mít", "Khe Cạn", "Nam Đồng", "Gò Móc", "Làng Mới",
    "Đồng Tâm", "Tân Thành", "Cây Thị", "Đèo Khế", "Bản Tèn", "Nà Mạt", "Làng Chủ",
    "Khuôn Lân", "Đồng Chằm", "Hợp Thành", "Tiến Thành", "Bình Minh", "Đồng Cả", "Khe Vàng",
    "Đầm Mụ", "Suối Lạnh", "Làng Cả", "Phú Yên", "Bờ Đậu", "Đồng Tiến", "Tân Lập",
    "Quyết Tiến", "Hòa Bình", "Cầu Đá", "Làng Hẻo", "Khẩu Đưa", "Nà Tiệm", "Bản Giáo",
    "Pác Cáp", "Lũng Luông", "Cốc Móc", "Nà Áng", "Thẩm Rộc", "Phiêng Phung", "Nà Lẹng",
    "Bản Héo", "Khau Cuông", "Đồng Bầu", "Xuân Trường", "Vân Long", "Đồng Danh", "Na Mao",
    "Cúc Đường", "Lâu Thượng", "Làng Phan", "Đồng Hút", "Ao Sen", "Trại Cài", "Gốc Gạo",
)

# Prefixes of unit names, stripped to get the place name used in cooperative names.
UNIT_NAME_PREFIXES: tuple[str, ...] = (
    "Thành phố ", "Thị trấn ", "Thị xã ", "Phường ", "Huyện ", "Tỉnh ", "Xã ",
)


def place_name(unit_name: str) -> str:
    """'Xã La Bằng' -> 'La Bằng'."""
    for prefix in UNIT_NAME_PREFIXES:
        if unit_name.startswith(prefix):
            return unit_name[len(prefix):]
    return unit_name


def union_name(unit_name: str) -> str:
    """'Xã La Bằng' -> 'Hội LHPN xã La Bằng' (the level word in lower case, as written)."""
    return "Hội LHPN " + unit_name[:1].lower() + unit_name[1:]


# --------------------------------------------------------------------------- cooperatives


@dataclass(frozen=True)
class Product:
    """A line of business: name stem, sectors (the first is the main one), products, OCOP."""

    stem: str
    sectors: tuple[str, ...]
    main_products: str
    ocop: tuple[str, ...] = ()


_A, _P, _H, _G, _T, _S, _O = (
    "agriculture", "processing", "handicraft", "garments", "tourism", "trade", "other")

# (weight in a rural commune, weight in an urban ward, product)
HTX_PRODUCTS: tuple[tuple[float, float, Product], ...] = (
    (22, 4, Product("Chè", (_A,), "Chè búp khô, chè xanh, chè móc câu",
                    ("Chè móc câu", "Chè xanh", "Trà búp"))),
    (5, 1, Product("Chè và Du lịch sinh thái", (_A, _T), "Chè xanh, trải nghiệm hái sao chè",
                   ("Chè đinh", "Trà nõn tôm"))),
    (10, 2, Product("Nông nghiệp", (_A,), "Lúa, ngô, rau màu; dịch vụ giống, vật tư")),
    (8, 1, Product("Dịch vụ nông nghiệp", (_A, _S),
                   "Dịch vụ làm đất, thủy lợi, cung ứng vật tư nông nghiệp")),
    (5, 1, Product("Nông nghiệp sạch", (_A,), "Rau, củ, quả an toàn theo VietGAP",
                   ("Rau cải an toàn",))),
    (5, 0.5, Product("Chăn nuôi", (_A,), "Lợn, gà đồi, vịt", ("Gà đồi",))),
    (4, 1, Product("Rau an toàn", (_A,), "Rau, củ, quả an toàn", ("Rau an toàn",))),
    (4, 0, Product("Cây ăn quả", (_A,), "Bưởi, na, nhãn, vải", ("Na dai", "Bưởi", "Nhãn"))),
    (3, 0, Product("Lúa gạo hữu cơ", (_A,), "Gạo Bao thai, gạo nếp vải",
                   ("Gạo Bao thai", "Gạo nếp vải"))),
    (3, 0, Product("Dược liệu", (_A, _P), "Cà gai leo, giảo cổ lam, ba kích",
                   ("Trà giảo cổ lam", "Cao cà gai leo"))),
    (2, 0, Product("Nuôi ong", (_A,), "Mật ong rừng, mật ong hoa nhãn", ("Mật ong",))),
    (2, 0.3, Product("Nấm", (_A,), "Nấm sò, nấm linh chi", ("Nấm linh chi",))),
    (2, 0.5, Product("Thủy sản", (_A,), "Cá rô phi, cá chép, cá trắm", ("Cá thính",))),
    (2, 0, Product("Lâm nghiệp", (_A,), "Keo, quế, trồng và chăm sóc rừng", ("Tinh dầu quế",))),
    (1.5, 0, Product("Trồng trọt và Chăn nuôi", (_A,), "Lúa, ngô, lợn, gà")),
    (3, 1, Product("Miến dong", (_P, _A), "Miến dong, tinh bột dong riềng", ("Miến dong",))),
    (2, 1, Product("Chế biến nông sản", (_P, _A), "Măng khô, mộc nhĩ, chè",
                   ("Măng khô", "Mộc nhĩ"))),
    (1.5, 1, Product("Bánh chưng", (_P,), "Bánh chưng, bánh giầy", ("Bánh chưng",))),
    (1, 0.5, Product("Thực phẩm", (_P,), "Giò chả, bánh khảo, bánh gai", ("Bánh khảo",))),
    (1, 0, Product("Rượu men lá", (_P,), "Rượu ngô men lá, rượu thóc", ("Rượu ngô men lá",))),
    (1, 0.5, Product("Mây tre đan", (_H,), "Mây tre đan, đồ thủ công mỹ nghệ",
                     ("Giỏ mây tre đan",))),
    (0.8, 0.2, Product("Dệt thổ cẩm", (_H, _T), "Vải, khăn, túi thổ cẩm", ("Túi thổ cẩm",))),
    (0.8, 2, Product("May mặc", (_G,), "Gia công may mặc, quần áo bảo hộ lao động")),
    (0.8, 0.5, Product("Du lịch cộng đồng", (_T, _S), "Homestay, ẩm thực, trải nghiệm")),
    (2, 5, Product("Thương mại Dịch vụ", (_S,), "Kinh doanh vật tư, hàng tiêu dùng")),
    (1.5, 4, Product("Dịch vụ tổng hợp", (_S, _O), "Dịch vụ điện, nước, vệ sinh môi trường")),
    (0.5, 2, Product("Vận tải", (_S,), "Vận tải hàng hóa, hành khách")),
    (1, 2, Product("Môi trường", (_O,), "Thu gom, vận chuyển rác thải")),
    (0.5, 1.5, Product("Xây dựng", (_O,), "Xây dựng dân dụng, vật liệu xây dựng")),
)
HTX_PRODUCTS_COMMUNE = Picker([(p, w) for w, _, p in HTX_PRODUCTS])
HTX_PRODUCTS_WARD = Picker([(p, w) for _, w, p in HTX_PRODUCTS if w > 0])

THT_PRODUCTS = Picker([
    (Product("Chè an toàn", (_A,), "Chè búp khô", ("Chè búp",)), 8),
    (Product("Trồng rau an toàn", (_A,), "Rau, củ an toàn"), 4),
    (Product("Chăn nuôi gà đồi", (_A,), "Gà đồi"), 3),
    (Product("Dệt thổ cẩm", (_H,), "Khăn, túi, vải thổ cẩm"), 1.5),
    (Product("Làm miến dong", (_P, _A), "Miến dong"), 1.5),
    (Product("Mây tre đan", (_H,), "Đồ mây tre đan"), 1.5),
    (Product("Trồng nấm", (_A,), "Nấm sò, mộc nhĩ"), 1),
    (Product("Nuôi ong", (_A,), "Mật ong"), 1),
    (Product("Trồng dược liệu", (_A,), "Cà gai leo, ba kích"), 1),
    (Product("Làm bánh truyền thống", (_P,), "Bánh chưng, bánh gai"), 1),
    (Product("May gia công", (_G,), "Gia công may mặc"), 0.8),
    (Product("Dịch vụ", (_S,), "Dịch vụ tổng hợp"), 0.7),
])
