"""The emails and texts the studio's portal and the studio's staff sent to the family, and the registration the
family submitted (pages/portal/messages/registration.py, registered first: its address is not a message id)."""

from __future__ import annotations

from nicegui import ui

from components.frame import not_found, portal_frame
from components.guards import parent_page
from components.i18n import _, moment
from domain.access.actors import Actor
from domain.errors import NotFound
from domain.i18n import N_
from domain.messages import history
from domain.messages.history import SentMessage
from domain.models import Channel
from pages.portal.messages import registration

FROM_THE_STUDIO = N_('From the studio')


@parent_page('/portal/messages')
async def messages_page(actor: Actor):
    sent = await history.family_messages(actor)
    with portal_frame(_('Messages'), actor, back='/portal'):
        with (
            ui.list().props('separator').classes('w-full bg-white rounded'),
            ui.item(on_click=lambda: ui.navigate.to(registration.PAGE)).mark('registration'),
        ):
            with ui.item_section().props('avatar'):
                ui.icon('gavel').props('aria-hidden=true')
            with ui.item_section():
                ui.item_label(_('Your registration'))
                ui.item_label(_('Your answers and the agreements you signed')).props('caption')
        if not sent:
            ui.label(_('No messages yet.')).classes('text-gray-700')
        with ui.list().props('separator').classes('w-full bg-white rounded'):
            for message in sent:
                with ui.item(on_click=lambda m=message: ui.navigate.to(f'/portal/messages/{m.id}')):
                    with ui.item_section().props('avatar'):
                        ui.icon('mail' if message.channel == Channel.EMAIL else 'sms').props('aria-hidden=true')
                    with ui.item_section().classes('min-w-0'):
                        if message.from_studio:
                            ui.item_label(_(FROM_THE_STUDIO)).props('overline').classes('text-primary')
                        ui.item_label(_title(message)).classes('break-words')
                        ui.item_label(f'{moment(message.created_at)} · {message.to_address}').props('caption').classes(
                            'break-words'
                        )


@parent_page('/portal/messages/{message_id}')
async def message_page(actor: Actor, message_id: str):
    try:
        message = await history.family_message(actor, message_id)
    except NotFound:
        not_found(actor)
        return
    with portal_frame(message.subject or _(message.kind_label), actor, back='/portal/messages'):
        if message.from_studio:
            ui.label(_(FROM_THE_STUDIO)).classes('text-sm font-semibold text-primary')
        ui.label(f'{moment(message.created_at)} · {message.to_address}').classes('text-sm text-gray-700 break-words')
        ui.label(message.text).classes('whitespace-pre-wrap break-words bg-white rounded p-3 w-full')


def _title(message: SentMessage) -> str:
    """An email by its subject; a text, which has none, by its first words (a studio text by what it says, not by
    "Message from the studio" again under that same label)."""
    if message.subject:
        return message.subject
    if message.from_studio and message.text:
        line = message.text.strip().split('\n', 1)[0]
        return line if len(line) <= 80 else line[:79] + '…'
    return _(message.kind_label)
