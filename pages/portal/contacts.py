"""You and the family's other contacts: guardians, pick-up people and emergency contacts."""

from __future__ import annotations

import contextlib

from fastapi.responses import RedirectResponse
from nicegui import ui

from components.forms import ContactFields, save_button
from components.frame import not_found, portal_frame
from components.guards import parent_page
from components.i18n import _, remember_language
from components.tiles import tile
from domain.access.actors import Actor
from domain.errors import NotFound, ValidationFailed
from domain.family import contacts
from domain.family.contacts import CONTACT_FLAGS, CannotRemoveYourself, ContactForm

LISTED_FLAGS = ('can_pick_up', 'is_emergency', 'is_primary')  # named in the list of contacts, in this order


@parent_page('/portal/you')
async def you_page(actor: Actor):
    me = await contacts.get_contact(actor, actor.contact_id)
    original = ContactForm.of(me)

    async def save() -> None:
        form = fields.read(original)
        try:
            await contacts.update_contact(actor, me.id, form)
        except ValidationFailed as failure:
            fields.show_errors(failure.errors)
            return
        if form.preferred_language != original.preferred_language:
            remember_language(form.preferred_language)
            ui.navigate.reload()
        else:
            _saved(fields)

    with portal_frame(_('You'), actor, back='/portal'):
        fields = ContactFields(original, is_self=True)
        save_button(save)


@parent_page('/portal/contacts')
async def contacts_page(actor: Actor):
    others = [c for c in await contacts.list_contacts(actor) if c.id != actor.contact_id]
    short = {flag.name: flag.short for flag in CONTACT_FLAGS}
    with portal_frame(_('Contacts'), actor, back='/portal'):
        ui.label(_('Other guardians, people allowed to pick up, and who to call in an emergency.')).classes(
            'text-gray-700'
        )
        for contact in others:
            roles = [_(short[name]) for name in LISTED_FLAGS if getattr(contact, name)]
            tile(
                contact.full_name,
                ' · '.join(filter(None, [contact.relationship, *roles])),
                f'/portal/contacts/{contact.id}',
                icon='person',
            )
        ui.button(_('Add a contact'), icon='person_add', on_click=lambda: ui.navigate.to('/portal/contacts/new')).props(
            'unelevated color=primary size=lg'
        ).classes('w-full')


@parent_page('/portal/contacts/new')
async def new_contact_page(actor: Actor):
    original = ContactForm('', '', preferred_language=actor.language)

    async def add() -> None:
        try:
            await contacts.add_contact(actor, fields.read(original))
        except ValidationFailed as failure:
            fields.show_errors(failure.errors)
            return
        ui.navigate.to('/portal/contacts')

    with portal_frame(_('Add a contact'), actor, back='/portal/contacts'):
        fields = ContactFields(original, is_self=False)
        save_button(add)


@parent_page('/portal/contacts/{contact_id}')
async def contact_page(actor: Actor, contact_id: str):
    try:
        contact = await contacts.get_contact(actor, int(contact_id))
    except (NotFound, ValueError):
        not_found(actor)
        return
    if contact.id == actor.contact_id:
        return RedirectResponse('/portal/you')
    original = ContactForm.of(contact)

    async def save() -> None:
        try:
            await contacts.update_contact(actor, contact.id, fields.read(original))
        except ValidationFailed as failure:
            fields.show_errors(failure.errors)
            return
        except NotFound:
            ui.navigate.to('/portal/contacts')
            return
        _saved(fields)

    async def remove() -> None:
        with contextlib.suppress(NotFound, CannotRemoveYourself):
            await contacts.remove_contact(actor, contact.id)
        ui.navigate.to('/portal/contacts')

    with portal_frame(contact.full_name, actor, back='/portal/contacts'):
        fields = ContactFields(original, is_self=False)
        save_button(save)
        with ui.dialog() as confirm, ui.card():
            ui.label(_("Remove {name} from your family's contacts?").format(name=contact.full_name))
            with ui.row().classes('w-full justify-end'):
                ui.button(_('Cancel'), on_click=confirm.close).props('flat')
                ui.button(_('Remove'), on_click=remove).props('unelevated color=negative')
        ui.button(_('Remove this contact'), icon='delete', on_click=confirm.open).props('flat color=negative').classes(
            'w-full'
        )


def _saved(fields: ContactFields) -> None:
    fields.show_errors({})
    ui.notify(_('Saved'), type='positive')
