"""A process exits though a SQLite connection was left open (aiosqlite's connection threads are not daemons, so
one stray connection used to keep the test run, or a stopping portal, alive for ever after its last line)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEAVES_ONE_OPEN = """
import asyncio, sys
sys.path.insert(0, {root!r})
import aiosqlite
import domain.db

async def main():
    connection = await aiosqlite.connect({path!r})
    await connection.execute('SELECT 1')

asyncio.run(main())
print('done')
"""


def test_a_connection_left_open_does_not_keep_the_process_alive(tmp_path):
    script = LEAVES_ONE_OPEN.format(root=str(ROOT), path=str(tmp_path / 'left-open.sqlite3'))
    finished = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True, timeout=60)
    assert (finished.returncode, finished.stdout.strip()) == (0, 'done')
