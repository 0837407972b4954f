"""Backups of a PostgreSQL database: `pg_dump` where it is installed, else a logical export.

`pg_dump` (custom format, `htx-…-reason.pgdump`) is what the IT person restores with
`pg_restore`. A PC without PostgreSQL's client tools (an officer's Windows PC) gets a logical
export through the program instead (`htx-…-reason.pgexport.zip`): one JSON file per table plus a
manifest with the schema revision, read in one REPEATABLE READ snapshot so the tables agree.
`restore_logical` loads such an export into an empty database at the same revision, on
PostgreSQL or SQLite, so it also moves a PC's data onto the office server.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import threading
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Engine, Integer, Table, func, select, text
from sqlalchemy.engine import URL

from htx_desktop.i18n import t
from htx_desktop.store.backup import backup_name
from htx_desktop.store.errors import StoreError
from htx_desktop.store.file_modes import owner_only
from htx_desktop.store.models import Base

log = logging.getLogger(__name__)

EXPORT_FORMAT = "htx-logical-export/1"
DUMP_MAGIC = b"PGDMP"  # the first bytes of a custom-format pg_dump archive


def _free_path(backups_dir: Path, reason: str, suffix: str) -> Path:
    stem = backup_name(reason=reason).removesuffix(".sqlite3")
    out = backups_dir / f"{stem}{suffix}"
    n = 2
    while out.exists():  # two backups in one second
        out = backups_dir / f"{stem}-{n}{suffix}"
        n += 1
    return out


def backup_server(engine: Engine, backups_dir: Path, reason: str = "",
                  *, use_pg_dump: bool = True) -> Path:
    """A new backup of the server's database in `backups_dir`: pg_dump's if it is on PATH and
    works (its version must not be older than the server's), else a logical export."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    pg_dump = shutil.which("pg_dump") if use_pg_dump else None
    if pg_dump is not None:
        out = _free_path(backups_dir, reason, ".pgdump")
        try:
            return run_pg_dump(pg_dump, engine.url, out)
        except StoreError as exc:
            log.warning("pg_dump failed, falling back to a logical export: %s", exc)
    return export_logical(engine, _free_path(backups_dir, reason, ".pgexport.zip"))


def _libpq_url(url: URL) -> tuple[str, dict[str, str]]:
    """pg_dump's connection string, with the password in the environment (not on the command
    line, where other users of the PC could read it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _partial(out: Path) -> Path:
    # Two imports in one second pick the same name: their partial files must not collide.
    return out.with_name(f"{out.name}.{os.getpid()}-{threading.get_ident()}.part")


def run_pg_dump(pg_dump: str, url: URL, out: Path) -> Path:
    partial = _partial(out)
    conninfo, env = _libpq_url(url)
    try:
        done = subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", f"--file={partial}",
             f"--dbname={conninfo}"],
            env=env, capture_output=True, text=True, timeout=3600, check=False)
        if done.returncode != 0:
            raise StoreError(t("pg_dump không sao lưu được: {error}",
                               error=done.stderr.strip()[:500]))
        with partial.open("rb") as fh:
            if fh.read(len(DUMP_MAGIC)) != DUMP_MAGIC:
                raise StoreError(t("Bản sao lưu pg_dump vừa tạo không đúng dạng."))
        owner_only(partial)  # it holds names: readable by its owner only
        os.replace(partial, out)
    except (OSError, subprocess.SubprocessError) as exc:
        raise StoreError(t("pg_dump không sao lưu được: {error}", error=str(exc))) from exc
    finally:
        partial.unlink(missing_ok=True)
    return out


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot export {type(value).__name__}")


def _revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def export_logical(engine: Engine, out: Path) -> Path:
    """Every table of the program as JSON, from one consistent snapshot, into a zip file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial(out)
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    counts: dict[str, int] = {}
    try:
        with engine.connect().execution_options(**options) as conn, conn.begin(), \
                zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            revision = _revision(conn)
            for table in Base.metadata.sorted_tables:
                pk = list(table.primary_key.columns)
                rows = [dict(r) for r in conn.execute(select(table).order_by(*pk)).mappings()]
                counts[table.name] = len(rows)
                zf.writestr(f"tables/{table.name}.json",
                            json.dumps(rows, default=_to_json, ensure_ascii=False))
            zf.writestr("manifest.json", json.dumps({
                "format": EXPORT_FORMAT, "revision": revision, "dialect": engine.dialect.name,
                "exported_at": datetime.now().astimezone().isoformat(), "rows": counts,
            }, ensure_ascii=False, indent=1))
        owner_only(partial)  # it holds names: readable by its owner only
        os.replace(partial, out)
    except OSError as exc:
        raise StoreError(t("Không sao lưu được cơ sở dữ liệu: {error}", error=str(exc))) from exc
    finally:
        partial.unlink(missing_ok=True)
    return out


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read("manifest.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise StoreError(t("Tệp {path} không phải là bản xuất dữ liệu của HTX Desktop.",
                           path=str(path))) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != EXPORT_FORMAT:
        raise StoreError(t("Tệp {path} không phải là bản xuất dữ liệu của HTX Desktop.",
                           path=str(path)))
    return manifest


def _from_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for column in table.columns:
        value = out.get(column.name)
        if isinstance(value, str) and isinstance(column.type, DateTime):
            out[column.name] = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column.type, Date):
            out[column.name] = date.fromisoformat(value)
    return out


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def restore_logical(engine: Engine, path: Path) -> dict[str, int]:
    """Load an export into an empty database migrated to the export's revision; return the
    row counts. One transaction: on any error nothing is loaded."""
    manifest = read_manifest(path)
    with engine.begin() as conn:
        if _revision(conn) != manifest.get("revision"):
            raise StoreError(t("Bản xuất dữ liệu thuộc phiên bản dữ liệu {revision}, khác "
                               "phiên bản của cơ sở dữ liệu đích.",
                               revision=str(manifest.get("revision"))))
        for table in Base.metadata.sorted_tables:
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                raise StoreError(t("Cơ sở dữ liệu đích đã có dữ liệu (bảng {table}); chỉ nạp "
                                   "bản xuất vào cơ sở dữ liệu trống.", table=table.name))
        counts: dict[str, int] = {}
        with zipfile.ZipFile(path) as zf:
            for table in Base.metadata.sorted_tables:
                rows = [_from_json(table, r)
                        for r in json.loads(zf.read(f"tables/{table.name}.json"))]
                counts[table.name] = len(rows)
                if not rows:
                    continue
                # A row may point at a later row of its own table (a unit's parent, a THT's
                # HTX): insert those links once every row is in.
                links = _self_references(table)
                first = [{**r, **{c: None for c in links}} for r in rows]
                conn.execute(table.insert(), first)
                for column in links:
                    pk = list(table.primary_key.columns)
                    for r in rows:
                        if r.get(column) is not None:
                            conn.execute(table.update().where(
                                *(c == r[c.name] for c in pk)).values({column: r[column]}))
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
    return counts


def _reset_sequences(conn: Connection) -> None:
    """Rows were inserted with their ids: move each serial's sequence past the largest."""
    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                {"t": table.name, "c": pk[0].name}).scalar()
        if sequence:
            conn.execute(text(
                f'SELECT setval(:s, COALESCE((SELECT max("{pk[0].name}") FROM "{table.name}"), '
                "0) + 1, false)"), {"s": sequence})
