"""Files only the service user may read: the database, its backups and NiceGUI's storage.

The process creates every file as 0600 and every folder as 0700 (its umask), and folders that already exist,
with what an older version or another umask left in them, are narrowed to the same at start.
"""

from __future__ import annotations

import os
from pathlib import Path

from nicegui.storage import Storage


def install(data_dir: Path) -> None:
    os.umask(0o077)
    for folder in (data_dir, Storage.path):
        folder.mkdir(parents=True, exist_ok=True)
        narrow(folder)


def narrow(folder: Path) -> None:
    folder.chmod(0o700)
    for path in folder.rglob('*'):
        if not path.is_symlink():
            path.chmod(0o700 if path.is_dir() else 0o600)
