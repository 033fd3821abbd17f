"""Sending email: over SMTP in production, to the log in demo and development."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr
from typing import Protocol

import aiosmtplib

from domain.config import MailSettings

log = logging.getLogger('kinroll.mail')


@dataclass(frozen=True)
class Email:
    to_address: str
    to_name: str
    from_address: str
    subject: str
    text: str
    html: str
    calendar: str = ''  # an iCalendar text sent along as invite.ics, or ''


class DeliveryError(Exception):
    """The message did not go out this time; the outbox will try again."""


class MailSender(Protocol):
    from_address: str

    async def send(self, email: Email) -> None: ...


class SmtpMailer:
    def __init__(self, settings: MailSettings, *, timeout: float = 20) -> None:
        self.settings = settings
        self.from_address = settings.sender
        self.timeout = timeout

    async def send(self, email: Email) -> None:
        message = mime_message(email)
        s = self.settings
        try:
            await aiosmtplib.send(
                message,
                hostname=s.host,
                port=s.port,
                username=s.user or None,
                password=s.password or None,
                use_tls=s.security == 'tls',
                start_tls=s.security == 'starttls',
                timeout=self.timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            raise DeliveryError(f'{type(error).__name__}: {error}') from error


def mime_message(email: Email) -> EmailMessage:
    """The message as it goes over the wire: text, HTML beside it, and the calendar attached."""
    message = EmailMessage()
    message['From'] = email.from_address
    message['To'] = formataddr((email.to_name, email.to_address)) if email.to_name else email.to_address
    message['Subject'] = email.subject
    message.set_content(email.text)
    if email.html:
        message.add_alternative(email.html, subtype='html')
    if email.calendar:
        # As bytes (so base64): the file's CRLF line endings and folded lines arrive exactly as written. PUBLISH, as
        # the file says: an entry to add to a calendar, not a meeting request the parent is asked to answer.
        message.add_attachment(
            email.calendar.encode(),
            maintype='text',
            subtype='calendar',
            filename='invite.ics',
            params={'method': 'PUBLISH', 'charset': 'utf-8'},
        )
    return message


class ConsoleMailer:
    """For demo and development: the message goes to the log, where a developer can read the code."""

    def __init__(self, from_address: str = 'portal@localhost') -> None:
        self.from_address = from_address
        self.sent: list[Email] = []

    async def send(self, email: Email) -> None:
        self.sent.append(email)
        log.warning('email to %s: %s\n%s', email.to_address, email.subject, email.text)
