import asyncio
import datetime as dt
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from domain.adapters.mail import SmtpMailer
from domain.adapters.sms import ConsoleSmsSender, HttpSmsSender
from domain.config import MailSettings, SmsSettings
from domain.messages import outbox
from domain.messages.notices import MASK, password_changed, sign_in_code
from domain.messages.outbox import Recipient
from domain.models import Channel, DeliveryStatus, OutboxMessage
from domain.unit_of_work import UnitOfWork

pytestmark = pytest.mark.usefixtures('database')


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return '250 OK'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    """A real SMTP server on loopback that the test can stop and start again."""
    port, inbox = free_port(), Inbox()
    controllers = []

    def start():
        controller = Controller(inbox, hostname='127.0.0.1', port=port)
        controller.start()
        controllers.append(controller)

    def stop():
        controllers.pop().stop()

    outbox.configure(
        SmtpMailer(MailSettings('127.0.0.1', port, 'none', '', '', 'studio@example.com'), timeout=3), ConsoleSmsSender()
    )
    yield start, stop, inbox
    while controllers:
        stop()


async def queue(notice, address='holly@example.com', channel=Channel.EMAIL, secret=None, expires_at=None):
    async with UnitOfWork() as uow:
        return await outbox.enqueue(
            uow, channel, Recipient('Holly Ager', address, 'en', 1, 1), notice, secret=secret, expires_at=expires_at
        )


async def test_email_goes_out_over_smtp_with_text_and_html(smtp):
    start, _stop, inbox = smtp
    start()
    await queue(password_changed('es', 'Holly'))
    assert await outbox.deliver_due() == 1
    [mail] = inbox.messages
    assert mail['To'] == 'Holly Ager <holly@example.com>' and mail['From'] == 'studio@example.com'
    assert mail.get_body(('plain',)).get_content().startswith('Hola, Holly')
    assert '<p>' in mail.get_body(('html',)).get_content()
    stored = await OutboxMessage.first()
    assert stored.status == DeliveryStatus.SENT and stored.sent_at is not None


async def test_messages_wait_while_smtp_is_down_and_go_out_when_it_returns(smtp, monkeypatch):
    start, stop, inbox = smtp
    monkeypatch.setattr(outbox, 'FIRST_RETRY', dt.timedelta(milliseconds=200))
    worker = outbox.OutboxWorker(idle_seconds=0.1)
    worker.start()
    try:
        start()
        await queue(password_changed('en', 'Holly'))
        await wait_until(lambda: len(inbox.messages) == 1)
        stop()
        second = await queue(password_changed('en', 'Holly'), address='second@example.com')
        await wait_until_async(lambda: _attempts(second.id), lambda n: n >= 1)
        failed_once = await OutboxMessage.get(id=second.id)
        assert failed_once.status == DeliveryStatus.QUEUED and failed_once.last_error
        start()  # the server comes back
        await wait_until(lambda: len(inbox.messages) == 2, seconds=5)
        assert inbox.messages[1]['To'] == 'Holly Ager <second@example.com>'
        assert (await OutboxMessage.get(id=second.id)).status == DeliveryStatus.SENT
    finally:
        await worker.stop()


async def _attempts(message_id):
    return (await OutboxMessage.get(id=message_id)).attempts


async def wait_until(condition, seconds=3.0):
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    assert condition()


async def wait_until_async(read, check, seconds=3.0):
    for _ in range(int(seconds / 0.05)):
        if check(await read()):
            return
        await asyncio.sleep(0.05)
    assert check(await read())


async def test_retries_back_off_then_give_up_and_drop_the_secret(smtp):
    _start, _stop, _inbox = smtp  # never started: the server stays down
    message = await queue(sign_in_code('en'), secret='123456')
    now = dt.datetime.now(dt.UTC)
    waits = []
    for _attempt in range(outbox.MAX_ATTEMPTS):
        await outbox.deliver_due(now)
        stored = await OutboxMessage.get(id=message.id)
        waits.append(stored.next_attempt_at - now)
        now = stored.next_attempt_at
    assert waits[1] > waits[0]  # exponential
    assert stored.status == DeliveryStatus.FAILED and stored.secret is None and stored.attempts == outbox.MAX_ATTEMPTS


async def test_a_code_is_sent_in_full_but_stored_masked():
    sms = ConsoleSmsSender()
    outbox.configure(outbox.senders.mail, sms)
    message = await queue(sign_in_code('en'), address='+13125550101', channel=Channel.SMS, secret='493817')
    assert '493817' not in (await OutboxMessage.get(id=message.id)).body_text
    await outbox.deliver_due()
    assert '493817' in sms.sent[0][1]
    stored = await OutboxMessage.get(id=message.id)
    assert stored.secret is None and '493817' not in stored.body_text
    assert MASK in outbox.stored_copy(stored.body_text)


async def test_a_code_that_could_not_go_out_in_time_is_not_sent_late(smtp):
    start, _stop, inbox = smtp
    expired = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    message = await queue(sign_in_code('en'), secret='111111', expires_at=expired)
    start()
    await outbox.deliver_due()
    assert inbox.messages == []
    assert (await OutboxMessage.get(id=message.id)).status == DeliveryStatus.FAILED


async def test_a_message_queued_in_a_rolled_back_change_is_never_sent():
    with pytest.raises(RuntimeError):
        async with UnitOfWork() as uow:
            await outbox.enqueue(uow, Channel.EMAIL, Recipient('H', 'h@example.com', 'en'), password_changed('en', 'H'))
            raise RuntimeError('the change failed')
    assert not await OutboxMessage.exists()


async def test_texts_go_through_a_twilio_compatible_api():
    """A local stand-in for the provider: checks the path, the basic auth and the form fields."""
    received = []

    async def app(scope, receive, send):
        body = b''
        while True:
            event = await receive()
            body += event.get('body', b'')
            if not event.get('more_body'):
                break
        received.append((scope['path'], dict(scope['headers']), body))
        await send({'type': 'http.response.start', 'status': 201, 'headers': [(b'content-type', b'application/json')]})
        await send({'type': 'http.response.body', 'body': b'{"sid": "SM1"}'})

    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host='127.0.0.1', port=port, log_level='error'))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        sender = HttpSmsSender(
            SmsSettings(f'http://127.0.0.1:{port}/2010-04-01', 'AC123', 'secret-token', '+15550001111')
        )
        await sender.send('+13125550101', 'Your code is 123456')
    finally:
        server.should_exit = True
        await task
    path, headers, body = received[0]
    assert path == '/2010-04-01/Accounts/AC123/Messages.json'
    assert headers[b'authorization'].startswith(b'Basic ')
    assert b'To=%2B13125550101' in body and b'From=%2B15550001111' in body and b'123456' in body


async def test_daily_clean_up_keeps_history_for_the_retention_period_only():
    from domain.operations import housekeeping
    from domain.studio import settings

    await settings.change(message_retention_days=180)
    old = await queue(password_changed('en', 'Holly'))
    recent = await queue(password_changed('en', 'Holly'))
    stuck = await queue(password_changed('en', 'Holly'))
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=181)
    await OutboxMessage.filter(id__in=[old.id, stuck.id]).update(created_at=long_ago)
    await OutboxMessage.filter(id=old.id).update(status=DeliveryStatus.SENT)
    removed = await housekeeping.clean_up()
    assert removed['messages'] == 1
    assert {m.id for m in await OutboxMessage.all()} == {recent.id, stuck.id}  # a queued message is never dropped
