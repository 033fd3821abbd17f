"""Every email and text goes through here: queued in the caller's transaction, sent by a worker that retries.

If the mail server is down, messages wait in the outbox and go out when it returns; nothing is lost.
Several workers (one per process) can share the table: each message is claimed before it is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import dataclass

from domain import clock, db, events
from domain.adapters.mail import ConsoleMailer, DeliveryError, Email, MailSender
from domain.adapters.sms import ConsoleSmsSender, SmsSender
from domain.messages.notices import MASK, SECRET, Notice
from domain.models import Channel, DeliveryStatus, OutboxMessage
from domain.unit_of_work import UnitOfWork

log = logging.getLogger('kinroll.outbox')

OUTBOX = 'outbox'
MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=1)
CLAIM = dt.timedelta(minutes=2)  # how long a worker may take to send one message before another may try


@dataclass
class Senders:
    mail: MailSender
    sms: SmsSender


senders = Senders(ConsoleMailer(), ConsoleSmsSender())


def configure(mail: MailSender, sms: SmsSender) -> None:
    senders.mail, senders.sms = mail, sms


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str  # an email address or an E.164 number
    language: str
    family_id: int | None = None
    contact_id: int | None = None


async def enqueue(
    uow: UnitOfWork,
    channel: Channel,
    recipient: Recipient,
    notice: Notice,
    *,
    secret: str | None = None,
    expires_at: dt.datetime | None = None,
    calendar: str = '',
    studio_message_id: int | None = None,
) -> OutboxMessage:
    """Queue a message with the change that caused it: both are kept, or neither. An email may carry an
    iCalendar text (`calendar`), sent along as invite.ics; a copy of a message staff wrote names it
    (`studio_message_id`)."""
    now = clock.now()
    is_email = channel == Channel.EMAIL
    message = await OutboxMessage.create(
        family_id=recipient.family_id,
        contact_id=recipient.contact_id,
        channel=channel,
        kind=notice.kind,
        recipient_name=recipient.name,
        to_address=recipient.address,
        from_address=senders.mail.from_address if is_email else senders.sms.from_number,
        language=recipient.language,
        subject=notice.subject if is_email else '',
        body_text=notice.text if is_email else notice.sms,
        body_html=notice.html if is_email else '',
        calendar=calendar if is_email else '',
        secret=secret,
        expires_at=expires_at,
        next_attempt_at=now,
        created_at=now,
        studio_message_id=studio_message_id,
        using_db=uow.connection,
    )
    uow.publish_after_commit(OUTBOX, message.id)
    return message


def backoff(attempts: int) -> dt.timedelta:
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


async def deliver_due(now: dt.datetime | None = None) -> int:
    """Send every message that is due; returns how many went out."""
    now = now or clock.now()
    sent = 0
    due = await OutboxMessage.filter(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now).order_by('id').limit(100)
    cleared_a_secret = False
    for message in due:
        claimed = await OutboxMessage.filter(
            id=message.id, status=DeliveryStatus.QUEUED, next_attempt_at=message.next_attempt_at
        ).update(next_attempt_at=now + CLAIM)
        if claimed:
            sent += await _deliver(message, now)
            cleared_a_secret = cleared_a_secret or bool(message.secret)
    if cleared_a_secret:
        await db.write_out_the_log()  # once per batch: the cleared secrets leave the write-ahead log too
    return sent


async def _deliver(message: OutboxMessage, now: dt.datetime) -> int:
    if message.expires_at and now >= message.expires_at:
        await _finish(message, DeliveryStatus.FAILED, error='Expired before it could be sent')
        return 0
    try:
        await _send(message)
    except DeliveryError as error:
        attempts = message.attempts + 1
        log.warning('message %s not sent (attempt %s): %s', message.id, attempts, error)
        if attempts >= MAX_ATTEMPTS:
            await _finish(message, DeliveryStatus.FAILED, error=str(error), attempts=attempts)
        else:
            await OutboxMessage.filter(id=message.id).update(
                attempts=attempts, last_error=str(error)[:1000], next_attempt_at=now + backoff(attempts)
            )
        return 0
    await _finish(message, DeliveryStatus.SENT, attempts=message.attempts + 1, sent_at=now)
    return 1


async def _send(message: OutboxMessage) -> None:
    def reveal(text: str) -> str:
        return text.replace(SECRET, message.secret or MASK)

    if message.channel == Channel.EMAIL:
        await senders.mail.send(
            Email(
                message.to_address,
                message.recipient_name,
                message.from_address,
                reveal(message.subject),
                reveal(message.body_text),
                reveal(message.body_html),
                message.calendar,
            )
        )
    else:
        await senders.sms.send(message.to_address, reveal(message.body_text))


async def _finish(
    message: OutboxMessage,
    status: DeliveryStatus,
    *,
    error: str = '',
    attempts: int | None = None,
    sent_at: dt.datetime | None = None,
) -> None:
    """The secret is dropped as soon as it is no longer needed: the history keeps the mask."""
    await OutboxMessage.filter(id=message.id).update(
        status=status, secret=None, last_error=error[:1000], attempts=attempts or message.attempts, sent_at=sent_at
    )


def stored_copy(text: str) -> str:
    """A message as the history shows it: secrets masked."""
    return text.replace(SECRET, MASK)


class OutboxWorker:
    """Sends as soon as a message is queued in this process, and checks every few seconds for the rest."""

    def __init__(self, *, idle_seconds: float = 5) -> None:
        self.idle_seconds = idle_seconds
        self._wake = asyncio.Event()
        self._unsubscribe = events.bus.subscribe(OUTBOX, lambda _id: self._wake.set())
        self._task: asyncio.Task | None = None
        self._stopping = False

    def start(self) -> None:
        if self._task is None or self._task.done():  # starting twice must not leave an orphan running
            self._task = asyncio.create_task(self._run(), name='outbox worker')

    async def stop(self, timeout: float = 30) -> None:
        """Let the batch being sent finish, so a shutdown never cuts a delivery in half."""
        self._stopping = True
        self._unsubscribe()
        self._wake.set()
        if self._task:
            try:
                await asyncio.wait_for(self._task, timeout)
            except TimeoutError:
                log.warning('outbox worker did not finish within %s s', timeout)

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await deliver_due()
            except Exception:  # a broken row must not stop the worker for everyone else
                log.exception('outbox delivery failed')
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.idle_seconds)
            self._wake.clear()
        try:
            await deliver_due()  # what was queued up to the shutdown goes out before the process ends
        except Exception:
            log.exception('outbox delivery at shutdown failed; the messages wait for the next start')
