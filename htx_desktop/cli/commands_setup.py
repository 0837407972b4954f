"""`init`, `units`, `summary`, `demo`: set up this copy and see what it holds."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from htx_desktop.cli.context import open_database, require_home_unit
from htx_desktop.cli.output import EXIT_OK, CommandRefused, print_json, say
from htx_desktop.i18n import t


def register(sub: Any) -> None:
    p = sub.add_parser("init", help=t("chọn đơn vị sử dụng và cán bộ lập báo cáo; nạp danh "
                                       "sách đơn vị hành chính"))
    p.add_argument("--unit", required=True, metavar=t("MÃ_ĐƠN_VỊ"),
                   help=t("mã đơn vị (ví dụ 19, 05443)"))
    p.add_argument("--units-file", type=Path, metavar=t("TỆP"), help=t(
        "tệp CSV danh sách đơn vị thay cho danh sách quốc gia kèm theo "
        "(code,name,level,parent_code,valid_from,valid_to)"))
    p.add_argument("--successors-file", type=Path, metavar=t("TỆP"), help=t(
        "tệp CSV đơn vị kế thừa (code,successor_code), đi cùng --units-file"))
    p.add_argument("--officer", metavar=t("HỌ_TÊN"), help=t("họ tên cán bộ lập báo cáo"))
    p.add_argument("--position", metavar=t("CHỨC_VỤ"), help=t("chức vụ của cán bộ"))
    p.add_argument("--phone", metavar=t("SỐ_ĐIỆN_THOẠI"), help=t("số điện thoại của cán bộ"))
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("units", help=t("đơn vị sử dụng và mọi đơn vị trực thuộc"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_units)

    p = sub.add_parser("summary", help=t("số bản ghi mỗi loại trong cơ sở dữ liệu"))
    p.add_argument("--json", action="store_true", help=t("in JSON"))
    p.set_defaults(handler=cmd_summary)

    p = sub.add_parser("demo", help=t("tạo dữ liệu mẫu (chỉ trên cơ sở dữ liệu trống)"))
    p.add_argument("--seed", type=int, default=1, metavar=t("SỐ"),
                   help=t("hạt giống ngẫu nhiên (mặc định 1)"))
    p.add_argument("--scale", type=_positive_float, default=1.0, metavar=t("HỆ_SỐ"),
                   help=t("hệ số nhân khối lượng dữ liệu (mặc định 1)"))
    p.set_defaults(handler=cmd_demo)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1000:
        raise argparse.ArgumentTypeError(t("“{text}” không phải là hệ số hợp lệ (số dương, "
                                           "tối đa 1000)", text=text))
    return value


def cmd_init(args: argparse.Namespace) -> int:
    from htx_desktop.domain.normalise import normalise_phone
    from htx_desktop.store import reference, settings

    db = open_database(args, create=True)
    code = args.unit.strip()
    with db.session() as session:
        current = settings.home_unit(session)
        if args.units_file:
            if current is not None and _has_records(session):
                raise CommandRefused(t(
                    "Cơ sở dữ liệu đã có bản ghi: không thể thay danh sách đơn vị. "
                    "Hãy dùng một thư mục dữ liệu mới (--data-dir)."))
            reference.load_units_csv(session, args.units_file, args.successors_file)
        elif reference.find_unit(session, code) is None and not _units_loaded(session):
            reference.load_national_units(session)
        unit = reference.find_unit(session, code)
        if unit is None:
            raise CommandRefused(t(
                "Không tìm thấy đơn vị có mã “{code}” trong danh sách đơn vị đã nạp. "
                "Hãy kiểm tra mã (ví dụ 19 cho tỉnh Thái Nguyên) hoặc nạp tệp bằng --units-file.",
                code=code))
        if current is not None and current.id != unit.id and _has_records(session):
            raise CommandRefused(t(
                "Cơ sở dữ liệu đã có bản ghi của đơn vị {old}: không thể đổi sang đơn vị khác. "
                "Hãy dùng một thư mục dữ liệu mới (--data-dir).", old=current.code))
        reference.load_ethnic_groups(session)
        reference.load_plan_lines(session)
        root = unit
        while root.parent is not None:
            root = root.parent
        reference.load_targets(session, root.id)
        settings.set_setting(session, "home_unit_id", str(unit.id))
        if args.officer is not None:
            settings.set_setting(session, "officer_name", args.officer.strip())
        if args.position is not None:
            settings.set_setting(session, "officer_position", args.position.strip())
        if args.phone is not None:
            phone = normalise_phone(args.phone)
            if phone is None:
                raise CommandRefused(t(
                    "Số điện thoại “{phone}” không hợp lệ: cần 10 chữ số, bắt đầu bằng 0.",
                    phone=args.phone))
            settings.set_setting(session, "officer_phone", phone)
        below = len(reference.descendant_units(session, unit.id, include_self=False))
        name = unit.name
    from htx_desktop.reports.unit_keys import own_key

    key = own_key(db)  # the unit's signing key (issue 19): made now if it has none
    say(t("Đã chọn đơn vị: {name} ({code}); {below} đơn vị trực thuộc.", name=name,
          code=code, below=below))
    if key is not None:
        say(t("Mã khoá ký của đơn vị (đọc cho cấp trên khi được hỏi): {code}",
              code=key.short_code))
    return EXIT_OK


def _units_loaded(session: Session) -> bool:
    from htx_desktop.store.models import Unit

    return bool(session.scalar(select(func.count()).select_from(Unit)))


def _has_records(session: Session) -> bool:
    from htx_desktop.store.models import PACKAGE_RECORDS

    return any(session.scalar(select(func.count()).select_from(model))
               for model in PACKAGE_RECORDS.values())


def cmd_units(args: argparse.Namespace) -> int:
    from htx_desktop.store import reference

    db = open_database(args)
    home_id, home_code = require_home_unit(db)
    with db.session() as session:
        units = reference.descendant_units(session, home_id, include_self=True)
        rows = [{"code": u.code, "name": u.name, "level": u.level,
                 "parent_code": u.parent.code if u.parent is not None else None}
                for u in units]
    if args.json:
        print_json({"home": home_code, "units": rows})
        return EXIT_OK
    from htx_desktop.domain.catalogues import UnitLevel

    for row in rows:
        indent = "" if row["code"] == home_code else "  "
        level = UnitLevel(str(row["level"])).label
        say(f"{indent}{row['code']:>6}  {row['name']}  ({level})")
    say(t("Tổng cộng: {n} đơn vị.", n=len(rows)))
    return EXIT_OK


def summary_labels() -> dict[str, str]:
    """The lines of `summary`, in order: the cooperatives by type, then the counted kinds of
    domain/kinds.py (attendances after the events), then the packages received."""
    from htx_desktop.domain.kinds import KINDS

    labels = {"htx": "Hợp tác xã (HTX)", "tht": "Tổ hợp tác (THT)", "lhhtx": "Liên hiệp HTX"}
    for k in KINDS:
        if k.count_label:
            labels[k.json_key] = k.count_label
        if k.json_key == "events":
            labels["attendances"] = "Lượt tham dự có tên"
    labels["submissions"] = "Báo cáo đã nhận"
    return labels


def cmd_summary(args: argparse.Namespace) -> int:
    from htx_desktop.reports.labels import format_number
    from htx_desktop.store.queries import record_counts

    db = open_database(args)
    home_id, home_code = require_home_unit(db)
    with db.session() as session:
        counts = record_counts(session, home_id)
    if args.json:
        print_json({"unit": home_code, "counts": counts})
        return EXIT_OK
    for key, label in summary_labels().items():
        say(f"{t(label):<40} {format_number(counts[key]):>10}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from htx_desktop.demo.generate import generate_demo

    db = open_database(args)
    home_id, _ = require_home_unit(db)
    with db.session() as session:
        summary = generate_demo(session, home_id, seed=args.seed, scale=args.scale,
                                today=date.today())
    from htx_desktop.reports.labels import format_number

    n = {key: format_number(value) for key, value in summary.counts.items()}
    say(t("Đã tạo dữ liệu mẫu cho {units} đơn vị: {htx} HTX, {tht} THT, {people} người, "
          "{events} sự kiện, {jobs} việc làm.", units=summary.units, htx=n["htx"],
          tht=n["tht"], people=n["people"], events=n["events"], jobs=n["job_placements"]))
    return EXIT_OK
