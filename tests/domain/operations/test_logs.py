"""No log record echoes megabytes of what someone sent (issue 13, point 18)."""

import json
import logging

import pytest

from domain.operations import logs
from domain.operations.logs import JsonFormatter

HUGE = 'a' * 900_000


@pytest.fixture
def short_records(monkeypatch):
    monkeypatch.setattr(logging, '_logRecordFactory', logging.getLogRecordFactory())  # put back afterwards
    logs.keep_records_short()


def record_of(log: logging.Logger, caplog) -> logging.LogRecord:
    (record,) = [r for r in caplog.records if r.name == log.name]
    return record


@pytest.mark.parametrize('formatter', [logging.Formatter(), JsonFormatter()], ids=['text', 'json'])
def test_a_message_from_the_browser_is_logged_short(short_records, caplog, formatter):
    from nicegui.logging import log  # NiceGUI logs what a browser sends to its 'log' socket event, as sent

    log.error(HUGE)
    formatted = formatter.format(record_of(log, caplog))
    assert len(formatted) < 5000 and formatted.count('a') >= 3000
    assert '900000' not in formatted and '896000 more characters not logged' in formatted


@pytest.mark.parametrize('formatter', [logging.Formatter(), JsonFormatter()], ids=['text', 'json'])
def test_an_exception_quoting_typed_input_is_logged_short(short_records, caplog, formatter):
    log = logging.getLogger('kinroll.test')
    try:
        raise ValueError(f'Length of {HUGE!r} 900002 > 254')
    except ValueError:
        log.exception('could not save')
    formatted = formatter.format(record_of(log, caplog))
    assert len(formatted) < 5000 and 'ValueError' in formatted and 'could not save' in formatted
    if isinstance(formatter, JsonFormatter):
        assert 'ValueError' in json.loads(formatted)['exception']


def test_arguments_are_still_formatted_and_installing_twice_cuts_once(short_records, caplog):
    logs.keep_records_short()
    log = logging.getLogger('kinroll.test')
    log.warning('message %s not sent: %s', 7, HUGE)
    assert record_of(log, caplog).getMessage().startswith('message 7 not sent: aaa')
    assert record_of(log, caplog).getMessage().endswith('(896020 more characters not logged)')
