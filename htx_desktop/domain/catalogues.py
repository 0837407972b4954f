"""Closed lists of the scheme: the lower-case ASCII codes of package format 1 and their labels.

Codes travel in packages and sit in the database; labels (Vietnamese, English) are shown to
people. A code is never renamed: add new ones instead.
"""

from __future__ import annotations

from enum import StrEnum

from htx_desktop.i18n import language


class Catalogue(StrEnum):
    """A StrEnum whose members carry a Vietnamese and an English label."""

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def label(self) -> str:
        vi, en = type(self).labels()[self.value]
        return en if language() == "en" else vi

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(code, label) pairs in declaration order, for drop-downs."""
        return [(m.value, m.label) for m in cls]


class UnitLevel(Catalogue):
    TINH = "tinh"
    HUYEN = "huyen"
    XA = "xa"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"tinh": ("Tỉnh", "Province"), "huyen": ("Huyện", "District"),
                "xa": ("Xã/phường", "Commune/ward")}


class CoopKind(Catalogue):
    HTX = "htx"
    THT = "tht"
    LHHTX = "lhhtx"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"htx": ("HTX", "Cooperative (HTX)"), "tht": ("THT", "Cooperative group (THT)"),
                "lhhtx": ("Liên hiệp HTX", "Union of cooperatives")}


class CoopStatus(Catalogue):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DISSOLVED = "dissolved"
    CONVERTED = "converted"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"active": ("Đang hoạt động", "Active"),
                "suspended": ("Tạm ngừng hoạt động", "Suspended"),
                "dissolved": ("Đã giải thể", "Dissolved"),
                "converted": ("Đã chuyển thành HTX", "Converted into an HTX")}


class Sector(Catalogue):
    AGRICULTURE = "agriculture"
    HANDICRAFT = "handicraft"
    GARMENTS = "garments"
    PROCESSING = "processing"
    TOURISM = "tourism"
    TRADE = "trade"
    OTHER = "other"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"agriculture": ("Nông nghiệp", "Agriculture"),
                "handicraft": ("Dệt, thủ công mỹ nghệ", "Weaving and handicraft"),
                "garments": ("May mặc", "Garments"),
                "processing": ("Chế biến", "Processing"),
                "tourism": ("Du lịch cộng đồng", "Community tourism"),
                "trade": ("Thương mại, dịch vụ", "Trade and services"),
                "other": ("Lĩnh vực khác", "Other")}


class Position(Catalogue):
    CHAIR = "chair"
    BOARD_MEMBER = "board_member"
    DIRECTOR = "director"
    GENERAL_DIRECTOR = "general_director"
    SUPERVISORY_HEAD = "supervisory_head"
    SUPERVISORY_MEMBER = "supervisory_member"
    CONTROLLER = "controller"
    ACCOUNTANT = "accountant"
    GROUP_LEADER = "group_leader"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"chair": ("Chủ tịch HĐQT", "Chair of the board"),
                "board_member": ("Thành viên HĐQT", "Board member"),
                "director": ("Giám đốc", "Director"),
                "general_director": ("Tổng Giám đốc", "General director"),
                "supervisory_head": ("Trưởng Ban kiểm soát", "Head of the supervisory board"),
                "supervisory_member": ("Thành viên Ban kiểm soát", "Supervisory board member"),
                "controller": ("Kiểm soát viên", "Controller"),
                "accountant": ("Kế toán", "Accountant"),
                "group_leader": ("Tổ trưởng THT", "Group leader (THT)")}


# The national default of what counts as "management" (Decision 01/QĐ-TTg); a province may
# change it in its settings, and each package records the set it was computed with.
DEFAULT_MANAGEMENT_POSITIONS: tuple[str, ...] = (
    "chair", "board_member", "director", "general_director",
    "supervisory_head", "supervisory_member", "controller",
)


class Gender(Catalogue):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"female": ("Nữ", "Female"), "male": ("Nam", "Male"), "other": ("Khác", "Other")}


class PriorityGroup(Catalogue):
    """Priority groups of the scheme. The victim groups are sensitive (Decree 13/2023)."""

    POOR = "poor"
    NEAR_POOR = "near_poor"
    ETHNIC_MINORITY = "ethnic_minority"
    DISABILITY = "disability"
    REINTEGRATED = "reintegrated"
    TRAFFICKING_VICTIM = "trafficking_victim"
    DOMESTIC_VIOLENCE_VICTIM = "domestic_violence_victim"
    SEXUAL_ABUSE_VICTIM = "sexual_abuse_victim"
    UNSAFE_MIGRANT = "unsafe_migrant"
    LAID_OFF_WORKER = "laid_off_worker"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"poor": ("Hộ nghèo", "Poor household"),
                "near_poor": ("Hộ cận nghèo", "Near-poor household"),
                "ethnic_minority": ("Dân tộc thiểu số", "Ethnic minority"),
                "disability": ("Khuyết tật", "Disability"),
                "reintegrated": ("Hoàn lương", "Reintegrated"),
                "trafficking_victim": ("Nạn nhân bị mua bán", "Victim of trafficking"),
                "domestic_violence_victim": ("Nạn nhân bạo lực gia đình",
                                             "Victim of domestic violence"),
                "sexual_abuse_victim": ("Nạn nhân bị xâm hại tình dục",
                                        "Victim of sexual abuse"),
                "unsafe_migrant": ("Di cư không an toàn", "Unsafe migrant"),
                "laid_off_worker": ("Lao động khu công nghiệp mất việc",
                                    "Industrial worker who lost her job")}


SENSITIVE_GROUPS: frozenset[str] = frozenset(
    {"trafficking_victim", "domestic_violence_victim", "sexual_abuse_victim"}
)


class CadreLevel(Catalogue):
    TINH = "tinh"
    HUYEN = "huyen"
    XA = "xa"
    CHI_HOI = "chi_hoi"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"tinh": ("Cấp tỉnh", "Province"), "huyen": ("Cấp huyện", "District"),
                "xa": ("Cấp xã", "Commune"), "chi_hoi": ("Chi hội", "Branch")}


class EventType(Catalogue):
    TAP_HUAN = "tap_huan"
    HOI_NGHI = "hoi_nghi"
    HOI_THAO = "hoi_thao"
    THAM_QUAN = "tham_quan"
    DAO_TAO_NGHE = "dao_tao_nghe"
    DIEN_DAN = "dien_dan"
    HOI_THI = "hoi_thi"
    # Not an activity of this unit: people of this unit attended a course run by another unit
    # (organiser in `lead_unit`). It makes them trained (CT5, CT8, CT9) and travels in the
    # package; it never counts in the activity figures, which the organiser's own event does.
    EXTERNAL_COURSE = "external_course"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"tap_huan": ("Tập huấn", "Training"), "hoi_nghi": ("Hội nghị", "Conference"),
                "hoi_thao": ("Hội thảo", "Workshop"),
                "tham_quan": ("Tham quan học tập", "Study visit"),
                "dao_tao_nghe": ("Đào tạo nghề", "Vocational training"),
                "dien_dan": ("Diễn đàn", "Forum"), "hoi_thi": ("Hội thi", "Contest"),
                "external_course": ("Dự lớp do đơn vị khác tổ chức",
                                    "Attended a course run by another unit")}


class Topic(Catalogue):
    MANAGEMENT = "management"
    FINANCE = "finance"
    DIGITAL = "digital"
    ECOMMERCE = "ecommerce"
    STARTUP = "startup"
    TECH_TRANSFER = "tech_transfer"
    OCOP = "ocop"
    PROMOTION = "promotion"
    BRANDING_IP = "branding_ip"
    GENDER_EQUALITY = "gender_equality"
    ADVOCACY_SKILLS = "advocacy_skills"
    KTTT_KNOWLEDGE = "kttt_knowledge"
    VOCATIONAL_NONFARM = "vocational_nonfarm"
    OTHER = "other"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"management": ("Quản trị, xây dựng phương án kinh doanh",
                               "Management and business plans"),
                "finance": ("Quản trị tài chính", "Financial management"),
                "digital": ("Chuyển đổi số", "Digital transformation"),
                "ecommerce": ("Thương mại điện tử", "E-commerce"),
                "startup": ("Khởi sự kinh doanh", "Starting a business"),
                "tech_transfer": ("Chuyển giao khoa học kỹ thuật", "Technology transfer"),
                "ocop": ("OCOP", "OCOP"),
                "promotion": ("Xúc tiến, quảng bá sản phẩm", "Product promotion"),
                "branding_ip": ("Thương hiệu, sở hữu trí tuệ", "Branding and IP"),
                "gender_equality": ("Bình đẳng giới", "Gender equality"),
                "advocacy_skills": ("Kỹ năng tuyên truyền, vận động",
                                    "Advocacy skills for cadres"),
                "kttt_knowledge": ("Kiến thức về KTTT, HTX",
                                   "Knowledge of the collective economy"),
                "vocational_nonfarm": ("Đào tạo nghề phi nông nghiệp",
                                       "Non-farm vocational training"),
                "other": ("Chủ đề khác", "Other")}


class FundingSource(Catalogue):
    STATE_BUDGET = "state_budget"
    NATIONAL_PROGRAMME = "national_programme"
    CREDIT = "credit"
    ENTERPRISE = "enterprise"
    INTERNATIONAL = "international"
    OTHER = "other"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"state_budget": ("Ngân sách nhà nước", "State budget"),
                "national_programme": ("Chương trình mục tiêu quốc gia",
                                       "National target programmes"),
                "credit": ("Vốn tín dụng", "Credit"),
                "enterprise": ("Doanh nghiệp, HTX", "Enterprises and cooperatives"),
                "international": ("Tổ chức quốc tế", "International"),
                "other": ("Nguồn khác", "Other")}


class AttendanceRole(Catalogue):
    PARTICIPANT = "participant"
    HTX_MANAGER = "htx_manager"
    MEMBER_WORKER = "member_worker"
    CADRE = "cadre"
    UNION_MEMBER = "union_member"
    OTHER = "other"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"participant": ("Học viên, đại biểu", "Participant"),
                "htx_manager": ("Quản lý HTX", "Cooperative manager"),
                "member_worker": ("Thành viên, người lao động HTX/THT", "Member or worker"),
                "cadre": ("Cán bộ Hội", "Union cadre"),
                "union_member": ("Hội viên", "Union member"),
                "other": ("Khác", "Other")}


class SupportKind(Catalogue):
    LEGAL_FOUNDING = "legal_founding"
    BUSINESS_PLAN = "business_plan"
    CREDIT = "credit"
    TRADE_FAIR = "trade_fair"
    ECOMMERCE = "ecommerce"
    MACHINERY = "machinery"
    TECHNOLOGY = "technology"
    TRADEMARK = "trademark"
    TRACEABILITY = "traceability"
    IP = "ip"
    OCOP = "ocop"
    VALUE_CHAIN = "value_chain"
    SALES = "sales"
    STUDY_VISIT = "study_visit"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"legal_founding": ("Tư vấn pháp lý, thủ tục thành lập", "Legal/founding advice"),
                "business_plan": ("Xây dựng phương án kinh doanh", "Business plan"),
                "credit": ("Tiếp cận vốn tín dụng", "Credit"),
                "trade_fair": ("Hội chợ, triển lãm", "Trade fair"),
                "ecommerce": ("Đưa sản phẩm lên sàn TMĐT", "E-commerce listing"),
                "machinery": ("Máy móc, thiết bị", "Machinery"),
                "technology": ("Công nghệ 4.0, chuyển đổi số", "Technology 4.0 / digital"),
                "trademark": ("Nhãn hiệu", "Trademark"),
                "traceability": ("Truy xuất nguồn gốc", "Traceability"),
                "ip": ("Sở hữu trí tuệ", "Intellectual property"),
                "ocop": ("OCOP", "OCOP"),
                "value_chain": ("Liên kết chuỗi giá trị", "Value-chain linkage"),
                "sales": ("Kết nối tiêu thụ", "Sales connection"),
                "study_visit": ("Tham quan học tập", "Study visit")}


class CommunicationForm(Catalogue):
    CONFERENCE = "conference"
    NEWS = "news"
    TV = "tv"
    SOCIAL_MEDIA = "social_media"
    HANDBOOK = "handbook"
    WEB = "web"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"conference": ("Hội nghị tuyên truyền", "Conference"),
                "news": ("Tin, bài báo", "News article"),
                "tv": ("Phóng sự truyền hình", "TV report"),
                "social_media": ("Mạng xã hội", "Social media"),
                "handbook": ("Sổ tay, tài liệu", "Handbook"),
                "web": ("Trang thông tin điện tử", "Web page")}


class PlanStatus(Catalogue):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"not_started": ("Chưa triển khai", "Not started"),
                "in_progress": ("Đang triển khai", "In progress"),
                "done": ("Đã hoàn thành", "Done")}


class FigureSource(Catalogue):
    """Who counted a cooperative's yearly figures: reports say which sources they used."""

    COOPERATIVE = "cooperative"
    ALLIANCE = "alliance"
    UNION_SURVEY = "union_survey"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"cooperative": ("HTX tự báo cáo", "The cooperative itself"),
                "alliance": ("Liên minh HTX", "Cooperative alliance"),
                "union_survey": ("Hội LHPN khảo sát", "Union survey")}


class JobRole(Catalogue):
    MEMBER = "member"
    WORKER = "worker"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"member": ("Thành viên", "Member"), "worker": ("Người lao động", "Worker")}


class AwardLevel(Catalogue):
    CENTRAL = "central"
    TINH = "tinh"
    HUYEN = "huyen"
    XA = "xa"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"central": ("Trung ương", "Central"), "tinh": ("Cấp tỉnh", "Province"),
                "huyen": ("Cấp huyện", "District"), "xa": ("Cấp xã", "Commune")}
