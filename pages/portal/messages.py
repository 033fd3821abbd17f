"""The emails and texts the studio's portal sent to the family."""

from __future__ import annotations

from nicegui import ui

from components.frame import not_found, portal_frame
from components.guards import parent_page
from components.i18n import _, moment
from domain.access.actors import Actor
from domain.errors import NotFound
from domain.messages import history
from domain.models import Channel


@parent_page('/portal/messages')
async def messages_page(actor: Actor):
    sent = await history.family_messages(actor.family_id)
    with portal_frame(_('Messages'), actor, back='/portal'):
        if not sent:
            ui.label(_('No messages yet.')).classes('text-gray-700')
        with ui.list().props('separator').classes('w-full bg-white rounded'):
            for message in sent:
                with ui.item(on_click=lambda m=message: ui.navigate.to(f'/portal/messages/{m.id}')):
                    with ui.item_section().props('avatar'):
                        ui.icon('mail' if message.channel == Channel.EMAIL else 'sms').props('aria-hidden=true')
                    with ui.item_section():
                        ui.item_label(message.subject or _(message.kind_label))
                        ui.item_label(f'{moment(message.created_at)} · {message.to_address}').props('caption')


@parent_page('/portal/messages/{message_id}')
async def message_page(actor: Actor, message_id: str):
    try:
        message = await history.family_message(actor, message_id)
    except NotFound:
        not_found(actor)
        return
    with portal_frame(message.subject or _(message.kind_label), actor, back='/portal/messages'):
        ui.label(f'{moment(message.created_at)} · {message.to_address}').classes('text-sm text-gray-700')
        ui.label(message.text).classes('whitespace-pre-wrap bg-white rounded p-3 w-full')
