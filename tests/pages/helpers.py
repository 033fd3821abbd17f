"""What the page tests share: signing in as a parent or staff member, pressing, waiting, reading deliveries."""

import asyncio
import contextlib
import re
from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from domain.messages import outbox
from domain.models import OutboxMessage
from tests.factories import PASSWORD, STAFF_PASSWORD, make_staff, totp_now


def press(user: User, label: str) -> None:
    """Click the button that says exactly this."""
    buttons = {b for b in user.find(kind=ui.button).elements if b.text == label}
    assert buttons, f'no button says {label!r}'
    UserInteraction(user, buttons, label).click()


def open_tile(user: User, title: str) -> None:
    """Tap the dashboard tile that shows this title."""
    links = {
        link
        for link in user.find(kind=ui.link).elements
        if any(f'>{title}<' in str(getattr(e, 'content', '')) for e in link.descendants())
    }
    assert links, f'no tile shows {title!r}'
    UserInteraction(user, links, title).click()


def choose_language(user: User, name: str) -> None:
    user.find(marker='language').click()
    items = {
        item
        for item in user.find(kind=ui.menu_item).elements
        if any(getattr(e, 'text', None) == name for e in item.descendants())
    }
    UserInteraction(user, items, name).click()


async def try_sign_in(user: User, email: str, password: str) -> None:
    await user.open('/')
    user.find('Email').type(email)
    user.find('Password').type(password)
    press(user, 'Sign in')


async def sign_in(user: User, email: str = 'holly@example.com', password: str = PASSWORD) -> None:
    await try_sign_in(user, email, password)
    await user.should_see(marker='sign-out', retries=30)  # argon2 takes a moment, on purpose


async def newest_delivery(count_before: int = 0) -> str:
    """The text of the newest email or text message, once the app's outbox worker has sent it."""
    for _ in range(100):
        await outbox.deliver_due()
        mail, sms = outbox.senders.mail.sent, outbox.senders.sms.sent
        if len(mail) + len(sms) > count_before:
            newest = await OutboxMessage.all().order_by('-id').first()
            return sms[-1][1] if newest.channel == 'sms' else mail[-1].text
        await asyncio.sleep(0.02)
    raise AssertionError('nothing was sent')


def sent_count() -> int:
    return len(outbox.senders.mail.sent) + len(outbox.senders.sms.sent)


async def ask_for_code(user: User, typed: str) -> str:
    before = sent_count()
    await user.open('/')
    user.find(marker='destination').type(typed)
    press(user, 'Send me a code')
    await user.should_see(marker='code', retries=30)
    return re.search(r'\b(\d{6})\b', await newest_delivery(before)).group(1)


async def staff_signs_in(user: User, email: str = 'desk@example.com', role: str = 'front_desk') -> None:
    staff_user = await make_staff(email, role=role)
    await user.open('/staff/sign-in')
    user.find('Email').type(email)
    user.find('Password').type(STAFF_PASSWORD)
    user.find('Authenticator code').type(totp_now(staff_user))
    press(user, 'Sign in')
    await user.should_see('Families', retries=30)


def table_rows(user: User) -> list[dict]:
    return user.find(kind=ui.table).elements.pop().rows


def messages(user: User) -> list[str]:
    return [row['message'] for row in table_rows(user)]


async def wait_for(condition: Callable[[], bool], seconds: float = 1.0) -> None:
    """Live lines must arrive within a second: poll until then. A condition that cannot be read yet (the element
    it looks for is being rebuilt by a refresh, so `user.find` raises) is not met yet, rather than a failure."""
    for _ in range(int(seconds / 0.02)):
        with contextlib.suppress(AssertionError):
            if condition():
                return
        await asyncio.sleep(0.02)
    assert condition()
