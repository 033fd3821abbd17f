"""The shared save pieces: a failed save brings its first wrong field into view and says what is wrong there,
and a "Saved" never stands beside the next save."""

import asyncio
import re

from nicegui import ui
from nicegui.testing import User

from components.forms import save_button, saved, show_errors, text_field
from tests.pages.helpers import press

MISSING = {'first_name': 'Tell us a first name', 'email': 'Tell us an email address'}


class AForm:
    """A long form with its Save at the bottom, as the parent pages have; `pending` holds a save midway."""

    def __init__(self) -> None:
        self.fields: dict[str, ui.input] = {}
        self.pending: asyncio.Event | None = None

        @ui.page('/a-form')
        def page() -> None:
            self.fields = {
                'first_name': text_field('First name', 'Pia'),
                'allergies': text_field('Allergies'),
                'email': text_field('Email'),
            }
            save_button(self.save)

    async def save(self) -> None:
        if self.pending is not None:
            await self.pending.wait()
        missing = {name: message for name, message in MISSING.items() if not self.fields[name].value}
        show_errors(self.fields, missing)
        if not missing:
            saved()


def feedback(user: User) -> str:
    return user.find(marker='save-feedback').elements.pop().text


def focused_fields(user: User) -> list[int]:
    """The ids of the fields the page tells the browser to scroll to and focus, in order."""
    focused: list[int] = []
    script = re.compile(r'\s*const field = getHtmlElement\((\d+)\)')
    sent = user.client.outbox._emit  # as NiceGUI's simulated User itself listens to what the page sends

    async def emit(message) -> None:
        _client, kind, data = message
        if kind == 'run_javascript' and (match := script.match(data['code'])):
            focused.append(int(match.group(1)))
        await sent(message)

    user.client.outbox._emit = emit
    return focused


async def test_a_failed_save_brings_its_first_wrong_field_into_view_and_says_so(user: User):
    form = AForm()
    await user.open('/a-form')
    focused = focused_fields(user)
    press(user, 'Save')
    await user.should_see('Not saved: Tell us an email address')
    assert form.fields['email'].error == MISSING['email']
    assert form.fields['first_name'].error is None
    assert focused == [form.fields['email'].id]  # the wrong field below the screen's edge, not the top one

    user.find('First name').clear()
    press(user, 'Save')
    await user.should_see('Not saved: Tell us a first name')
    assert focused[-1] == form.fields['first_name'].id  # the first wrong one in the form's order


async def test_a_saved_goes_the_moment_the_next_save_starts_and_the_failure_takes_its_place(user: User):
    form = AForm()
    await user.open('/a-form')
    user.find('Email').type('pia@example.com')
    press(user, 'Save')
    await user.should_see('✓ Saved')
    assert 'text-positive' in user.find(marker='save-feedback').elements.pop().classes

    user.find('Email').clear()
    form.pending = asyncio.Event()
    press(user, 'Save')
    await user.should_not_see('✓ Saved')
    assert feedback(user) == ''  # while the save is still on its way
    form.pending.set()
    await user.should_see('Not saved: Tell us an email address')
    assert 'text-negative' in user.find(marker='save-feedback').elements.pop().classes
    assert 'text-positive' not in user.find(marker='save-feedback').elements.pop().classes


async def test_the_feedback_line_is_a_live_region_that_is_always_in_the_page(user: User):
    AForm()
    await user.open('/a-form')
    line = user.find(marker='save-feedback').elements.pop()
    assert line.props['role'] == 'status' and line.visible
