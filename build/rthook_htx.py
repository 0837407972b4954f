"""PyInstaller runtime hook: runs in the frozen program before htx_desktop is imported.

The bundle folder may be read-only (Program Files) and must stay as installed: upgrades replace
it and the uninstaller removes it. Alembic loads the revision files in db/versions/ from source,
so stop Python from caching their bytecode next to them.
"""

import sys

sys.dont_write_bytecode = True
