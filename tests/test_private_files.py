"""The database, its backups and NiceGUI's storage are the service user's alone."""

import os
import stat

import pytest
from nicegui.storage import Storage

from components.setup import private_files


@pytest.fixture
def umask_restored():
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_existing_files_are_narrowed_and_new_ones_are_private(tmp_path, monkeypatch, umask_restored):
    data, storage = tmp_path / 'data', tmp_path / 'storage'
    (data / 'backups').mkdir(parents=True)
    old = data / 'kinroll.sqlite3'
    old.write_text('x')
    old.chmod(0o644)
    (data / 'backups').chmod(0o755)
    monkeypatch.setattr(Storage, 'path', storage)
    private_files.install(data)
    assert (mode(data), mode(data / 'backups'), mode(old), mode(storage)) == (0o700, 0o700, 0o600, 0o700)
    new = storage / 'storage-user-x.json'
    new.write_text('{}')  # as NiceGUI writes a browser's storage
    assert mode(new) == 0o600
