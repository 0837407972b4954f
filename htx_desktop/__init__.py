"""HTX Desktop: theo dõi Đề án hỗ trợ HTX do phụ nữ tham gia quản lý (Hội LHPN)."""

__version__ = "0.1.0"
PROGRAM_NAME = "htx-desktop"
