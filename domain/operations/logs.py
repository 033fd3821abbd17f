"""Log records as one JSON object per line, for log collectors, and never more than a few thousand characters of
what someone sent."""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback

MAX_MESSAGE = 4000  # characters of one record's message
MAX_LINE = 1000  # characters of one line of a traceback, whose last line quotes the exception's message
MAX_TRACEBACK = 20_000


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            'time': dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec='milliseconds'),
            'level': record.levelname.lower(),
            'logger': record.name,
            'message': record.getMessage(),
        }
        if record.exc_info:
            entry['exception'] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def use_json_logs() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for name in ('uvicorn', 'uvicorn.error', 'uvicorn.access'):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True


def keep_records_short() -> None:
    """Cut every log record as it is made, before any handler formats it: a message sent to NiceGUI's 'log'
    socket event, a URL, an exception quoting a value typed in a form, each is logged at most MAX_MESSAGE long.

    A record factory rather than a handler's filter, because the web server and NiceGUI set up their own handlers
    after this runs, and Python's last-resort handler has no filters.
    """
    make = logging.getLogRecordFactory()
    if getattr(make, 'keeps_records_short', False):
        return

    def short_record(*args, **kwargs) -> logging.LogRecord:  # type: ignore[no-untyped-def]
        record = make(*args, **kwargs)
        message = record.getMessage()
        if len(message) > MAX_MESSAGE:
            record.msg, record.args = _cut(message, MAX_MESSAGE), None
        if record.exc_info and record.exc_info[1] is not None:
            lines = ''.join(traceback.format_exception(*record.exc_info)).rstrip('\n').split('\n')
            record.exc_text = _cut('\n'.join(_cut(line, MAX_LINE) for line in lines), MAX_TRACEBACK)
        return record

    short_record.keeps_records_short = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(short_record)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f'{text[:limit]}… ({len(text) - limit} more characters not logged)'
