"""SIGKILL the writer again and again: every change acknowledged to the parent survives, and the file stays sound."""

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import only_on_sqlite

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 12


def run_writer(path: Path, mode: str, run: str = '0') -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, '-m', 'tests.durability.writer', str(path), mode, run],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


@only_on_sqlite('it kills the process that owns the SQLite file')
def test_every_acknowledged_save_and_payment_survives_sigkill(tmp_path):
    path = tmp_path / 'crash.sqlite3'
    assert run_writer(path, 'setup').wait(timeout=60) == 0
    acked_values: list[str] = []
    acked_payments: list[tuple[int, str, str]] = []
    rng = random.Random(20261122)
    for round_number in range(ROUNDS):
        writer = run_writer(path, 'write', str(round_number))
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == 'READY'
        time.sleep(rng.uniform(0.2, 0.8))
        writer.send_signal(signal.SIGKILL)
        output, _ = writer.communicate(timeout=30)
        for line in output.splitlines():
            words = line.split()
            if words[:2] == ['ACK', 'participant']:
                acked_values.append(words[2])
            elif words[:2] == ['ACK', 'payment']:
                acked_payments.append((int(words[2]), words[3], words[4]))
        check(path, acked_values, acked_payments)
    assert len(acked_values) > ROUNDS and len(acked_payments) > ROUNDS  # the writer really was writing


def check(path: Path, acked_values: list[str], acked_payments: list[tuple[int, str, str]]) -> None:
    database = sqlite3.connect(path)
    try:
        assert database.execute('PRAGMA integrity_check').fetchone()[0] == 'ok'
        allergies = database.execute('SELECT allergies FROM participant').fetchone()[0]
        if acked_values:  # the last acknowledged value, or one saved after it that was not acknowledged yet
            run, step = (int(part) for part in acked_values[-1].split('-'))
            now_run, now_step = (int(part) for part in allergies.split('-'))
            assert (now_run, now_step) >= (run, step), f'{acked_values[-1]} was acknowledged, the file has {allergies}'
        for payment_id, status, key in acked_payments:
            row = database.execute(
                'SELECT status FROM payment WHERE id = ? AND idempotency_key = ?', (payment_id, key)
            ).fetchone()
            assert row == (status,), f'acknowledged payment {key} is missing'
            if status == 'approved':
                assert (
                    database.execute(
                        'SELECT count(*) FROM ledger_entry WHERE source = ?', (f'payment:{payment_id}',)
                    ).fetchone()[0]
                    == 1
                )
        approved = database.execute("SELECT count(*) FROM payment WHERE status = 'approved'").fetchone()[0]
        posted = database.execute("SELECT count(*) FROM ledger_entry WHERE source LIKE 'payment:%'").fetchone()[0]
        assert approved == posted  # never a payment without its entry, or an entry without its payment
    finally:
        database.close()
