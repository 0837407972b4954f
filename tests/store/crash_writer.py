"""The writer of the power-cut test (test_crash_safety.py), run as a separate process.

Usage: python crash_writer.py DATA_DIR UNIT_ID TAG. Opens the data folder the way the program
does and saves people through RecordService, one transaction each, printing each id to stdout
(flushed) only after its transaction committed, until it is killed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.store.service import RecordService


def main() -> None:
    root, unit_id, tag = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    db = Database.open(DataDir(root), check=False)
    print("READY", flush=True)
    n = 0
    while True:
        n += 1
        with db.session() as session:
            person = RecordService(session, "crash-test").create("person", {
                "unit_id": unit_id, "full_name": f"Người thử {tag} {n}",
                "birth_year": 1960 + n % 40, "phone": f"09{n:08d}",
                # Enough text that records span pages and the WAL grows between checkpoints.
                "note": f"Ghi chú {tag} {n} " * (20 + n % 50)})
            person_id = person.id
        sys.stdout.write(person_id + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
