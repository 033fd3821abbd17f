"""An email queued with a calendar arrives with it attached as invite.ics, which a mail app offers to add."""

import pytest

from domain.adapters.mail import Email, mime_message
from domain.messages import outbox
from domain.messages.notices import password_changed
from domain.messages.outbox import Recipient
from domain.models import Channel, OutboxMessage
from domain.unit_of_work import UnitOfWork

pytestmark = pytest.mark.usefixtures('database')

INVITE = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Ballet 2 · Ava\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'


async def queue(*, calendar: str = '', channel: Channel = Channel.EMAIL) -> OutboxMessage:
    address = 'holly@example.com' if channel == Channel.EMAIL else '+15555550100'
    async with UnitOfWork() as uow:
        return await outbox.enqueue(
            uow,
            channel,
            Recipient('Holly Ager', address, 'en', 1, 1),
            password_changed('en', 'Holly'),
            calendar=calendar,
        )


async def test_a_queued_email_with_a_calendar_is_delivered_with_it(delivered):
    mail, _sms = delivered
    await queue(calendar=INVITE)
    await queue()
    assert await outbox.deliver_due() == 2
    assert [email.calendar for email in mail.sent] == [INVITE, '']
    assert (await OutboxMessage.first()).calendar == INVITE  # kept in the history with the message


async def test_a_text_message_carries_no_calendar(delivered):
    message = await queue(calendar=INVITE, channel=Channel.SMS)
    assert (await OutboxMessage.get(id=message.id)).calendar == ''


def email(calendar: str) -> Email:
    return Email('holly@example.com', 'Holly Ager', 'studio@example.com', 'Enrolled', 'Hi Holly', '<p>Hi</p>', calendar)


def test_the_smtp_message_has_the_text_the_html_and_the_invite_attached_byte_for_byte():
    message = mime_message(email(INVITE))

    assert message.get_body(('plain',)).get_content().startswith('Hi Holly')
    assert '<p>Hi</p>' in message.get_body(('html',)).get_content()
    [invite] = list(message.iter_attachments())
    assert invite.get_filename() == 'invite.ics'
    assert invite.get_content_type() == 'text/calendar'
    assert (invite.get_param('method'), invite.get_param('charset')) == ('PUBLISH', 'utf-8')
    assert invite.get_payload(decode=True) == INVITE.encode()  # CRLF line endings and the middle dot intact


def test_without_a_calendar_nothing_is_attached():
    message = mime_message(email(''))
    assert list(message.iter_attachments()) == [] and message.get_content_type() == 'multipart/alternative'
