"""Operating a running portal: the health check, and an online backup taken while it serves."""

import sqlite3
import subprocess
import sys

import httpx

from tests.e2e.conftest import ROOT, SERVER_LOGS


def test_healthz_reports_the_database_and_the_outbox(server: str):
    response = httpx.get(server + '/healthz', timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body['status'] == 'ok' and body['database'] == 'ok' and body['outbox_backlog'] >= 0


def test_main_py_backup_copies_the_live_database(server: str, tmp_path):
    data_dir = SERVER_LOGS[server].parent
    target = tmp_path / 'backup.sqlite3'
    done = subprocess.run(
        [sys.executable, 'main.py', 'backup', str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={'PATH': '/usr/bin:/bin', 'PORTAL_DATA_DIR': str(data_dir), 'PORTAL_SECRET': 'not-needed-for-a-backup'},
    )
    assert done.returncode == 0, done.stderr
    assert 'integrity check ok' in done.stdout
    copy = sqlite3.connect(target)
    assert copy.execute('PRAGMA integrity_check').fetchone()[0] == 'ok'
    assert copy.execute("SELECT count(*) FROM contact WHERE email = 'mbestie@example.com'").fetchone()[0] == 1
    copy.close()
