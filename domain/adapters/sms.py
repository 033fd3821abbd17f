"""Sending text messages: a Twilio-compatible REST API in production, the log in demo and development."""

from __future__ import annotations

import logging
from typing import Protocol

import httpx

from domain.adapters.mail import DeliveryError
from domain.config import SmsSettings

log = logging.getLogger('kinroll.sms')


class SmsSender(Protocol):
    from_number: str

    async def send(self, to_number: str, body: str) -> None: ...


class HttpSmsSender:
    def __init__(self, settings: SmsSettings, *, timeout: float = 15) -> None:
        self.settings = settings
        self.from_number = settings.sender
        self.timeout = timeout

    async def send(self, to_number: str, body: str) -> None:
        s = self.settings
        url = f'{s.url}/Accounts/{s.account}/Messages.json'
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(
                    url, auth=(s.account, s.token), data={'To': to_number, 'From': s.sender, 'Body': body}
                )
        except httpx.HTTPError as error:
            raise DeliveryError(f'{type(error).__name__}: {error}') from error
        if response.status_code >= 300:
            raise DeliveryError(f'HTTP {response.status_code}: {response.text[:300]}')


class ConsoleSmsSender:
    def __init__(self, from_number: str = 'Kinroll') -> None:
        self.from_number = from_number
        self.sent: list[tuple[str, str]] = []

    async def send(self, to_number: str, body: str) -> None:
        self.sent.append((to_number, body))
        log.warning('text to %s: %s', to_number, body)
