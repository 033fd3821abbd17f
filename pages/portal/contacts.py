"""You and the family's other contacts: guardians, pick-up people and emergency contacts.

What each parent may change follows their role (domain/access/actors.py, `Standing`); the services refuse the
rest, and these pages do not offer it.
"""

from __future__ import annotations

import dataclasses

from fastapi.responses import RedirectResponse
from nicegui import ui

from components.edit_conflicts import CONTACT_LABELS, ChangedMeanwhileNotice, shown_contact_value
from components.forms import ContactFields, confirm_dialog, fill_contact, save_button, saved, text_field
from components.frame import heading, not_found, portal_frame
from components.guards import parent_page
from components.i18n import _, remember_language
from components.tiles import tile
from domain.access.actors import ROLE_NAMES, Actor, NotYourRole
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.family import address_change, contacts
from domain.family.address_change import PendingProof
from domain.family.contacts import CONTACT_FLAGS, ContactForm, ContactView
from domain.family.versions import ChangedMeanwhile
from domain.models import ContactRole
from domain.validation import display_phone

LISTED_FLAGS = ('can_pick_up', 'is_emergency', 'is_primary')  # named in the list of contacts, in this order


def _role_select(roles: list[ContactRole], value: str) -> ui.select:
    select = (
        ui.select({role.value: _(ROLE_NAMES[role]) for role in roles}, value=value, label=_('Role in the family'))
        .props('outlined stack-label')
        .classes('w-full')
    )
    if len(roles) < 2:
        select.disable()
    return select


def _offer_only_what_they_may(fields: ContactFields, view: ContactView) -> None:
    """Fields their role cannot change are shown, not offered."""
    if not view.editable:
        for element in (*fields.fields.values(), *fields.flags.values()):
            element.disable()
        return
    for name in view.sign_in_fields:
        fields.fields[name].disable()
    fields.flags['is_primary'].disable()  # passed on with "Make primary contact", by the primary contact
    if not view.may_set_billing:
        fields.flags['is_billing'].disable()
    if not view.me.is_guardian:
        for name in ('can_pick_up', 'is_emergency'):
            fields.flags[name].disable()


def _billing_follows_role(role: ui.select, billing: ui.checkbox, allowed: bool) -> None:
    """Only a guardian with billing can be a billing contact: the tick is offered for that role alone."""

    def follow() -> None:
        offered = allowed and role.value == ContactRole.GUARDIAN.value
        billing.set_enabled(offered)
        if not offered:
            billing.value = False

    role.on_value_change(follow)
    if not (allowed and role.value == ContactRole.GUARDIAN.value):
        billing.set_enabled(False)


def _code_dialog(actor: Actor, proof: PendingProof) -> ui.dialog:
    """Enter the code sent to a new sign-in email or mobile."""
    shown = proof.destination if proof.field == 'email' else display_phone(proof.destination)

    async def confirm() -> None:
        try:
            await address_change.confirm(actor, proof.id, code.value or '')
        except DomainError as refused:
            code.error = _(refused.MESSAGE)
            return
        card.clear()  # said where the parent is looking, before the page shows the new address
        with card:
            ui.label(_('Changed. You sign in with {address} from now on.').format(address=shown)).props('role=status')
            with ui.row().classes('w-full justify-end'):
                ui.button(_('OK'), on_click=ui.navigate.reload).props('unelevated color=primary')

    with ui.dialog() as dialog, ui.card().classes('w-full') as card:
        ui.label(_('We sent a code to {address}. Enter it to sign in with it from now on.').format(address=shown))
        code = text_field(_('Code'), autocomplete='one-time-code')
        code.props['inputmode'] = 'numeric'
        with ui.row().classes('w-full justify-end'):
            ui.button(_('Later'), on_click=dialog.close).props('flat')
            ui.button(_('Confirm'), on_click=confirm).props('unelevated color=primary')
    return dialog


@parent_page('/portal/you')
async def you_page(actor: Actor):
    view = await contacts.contact_view(actor, actor.contact_id)
    waiting = await address_change.pending_for(actor)
    original = ContactForm.of(view.contact)

    async def save(mine: ContactForm | None = None) -> None:
        nonlocal original
        form = mine or fields.read(original)
        try:
            result = await contacts.update_contact(actor, view.contact.id, form)
        except ValidationFailed as failure:
            fields.show_errors(failure.errors)
            return
        except ChangedMeanwhile as refused:
            changed_meanwhile(refused, form)
            return
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        fields.show_errors({})
        notice.hide()
        language_changed = form.preferred_language != original.preferred_language
        original = ContactForm.of(result.contact)
        if language_changed:
            remember_language(form.preferred_language)
        for proof in result.proving:
            _code_dialog(actor, proof).open()
        if language_changed and not result.proving:
            ui.navigate.reload()
        else:
            saved()

    def changed_meanwhile(refused: ChangedMeanwhile, yours: ContactForm) -> None:
        notice.offer(refused, original, yours, save=save, take=take, show_errors=fields.show_errors)

    def take(theirs: ContactForm) -> None:
        nonlocal original
        original = theirs
        fill_contact(fields, theirs)
        fields.show_errors({})
        notice.hide()

    with portal_frame(_('You'), actor, back='/portal'):
        ui.label(_('Your role: {role}').format(role=_(ROLE_NAMES[view.contact.role]))).classes('text-gray-700')
        fields = ContactFields(original, is_self=True)
        _offer_only_what_they_may(fields, view)
        ui.label(_('A new sign-in email or mobile number takes effect once you enter the code we send to it.')).classes(
            'text-sm text-gray-700'
        )
        for proof in waiting:
            shown = proof.destination if proof.field == 'email' else display_phone(proof.destination)
            ui.button(
                _('Enter the code sent to {address}').format(address=shown),
                on_click=lambda p=proof: _code_dialog(actor, p).open(),
            ).props('flat color=primary').classes('w-full')
        notice = ChangedMeanwhileNotice(CONTACT_LABELS, shown_contact_value)
        save_button(save)
        mass_email_opt_out(actor, view.contact.mass_email_opt_out)


def mass_email_opt_out(actor: Actor, value: bool) -> ui.switch:
    """Saved as soon as it is switched: it is not part of the details form above."""

    async def switched(event) -> None:
        await contacts.set_mass_email_opt_out(actor, bool(event.value))
        saved()

    heading(_('Messages from the studio'), 2)  # a section of its own: the form's Save above does not save it
    switch = ui.switch(_('Mass Email Opt-Out'), value=value, on_change=switched).mark('mass-email-opt-out')
    ui.label(
        _(
            'When on, emails and texts the studio sends to many families leave you out. Messages about your own '
            'account still reach you. Switching it keeps the change at once.'
        )
    ).classes('text-sm text-gray-700')
    return switch


@parent_page('/portal/contacts')
async def contacts_page(actor: Actor):
    try:
        family = await contacts.family_contacts(actor)
    except (NotYourRole, NotFound):
        not_found(actor)
        return
    short = {flag.name: flag.short for flag in CONTACT_FLAGS}
    with portal_frame(_('Contacts'), actor, back='/portal'):
        ui.label(_('Other guardians, people allowed to pick up, and who to call in an emergency.')).classes(
            'text-gray-700'
        )
        for contact in family.contacts:
            if contact.id == actor.contact_id:
                continue
            roles = [_(short[name]) for name in LISTED_FLAGS if getattr(contact, name)]
            tile(
                contact.full_name,
                ' · '.join(filter(None, [contact.relationship, *roles])),
                f'/portal/contacts/{contact.id}',
                icon='person',
            )
        if family.me.grantable_roles():
            ui.button(
                _('Add a contact'), icon='person_add', on_click=lambda: ui.navigate.to('/portal/contacts/new')
            ).props('unelevated color=primary size=lg').classes('w-full')


@parent_page('/portal/contacts/new')
async def new_contact_page(actor: Actor):
    try:
        family = await contacts.family_contacts(actor)
    except (NotYourRole, NotFound):
        not_found(actor)
        return
    roles = family.me.grantable_roles()
    if not roles:
        not_found(actor)
        return
    default = ContactRole.PICKUP if ContactRole.PICKUP in roles else roles[0]
    original = ContactForm('', '', preferred_language=actor.language, role=default.value)

    async def add() -> None:
        form = fields.read(original)
        try:
            added = await contacts.add_contact(actor, ContactForm(**{**form.__dict__, 'role': role.value}))
        except ValidationFailed as failure:
            fields.show_errors(failure.errors)
            return
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        if added.pending_email or added.mobile_phone:
            ui.notify(
                _(
                    'Saved. {name} can use the portal once they confirm their address: on the sign-in page, they ask '
                    'for a code with it.'
                ).format(name=added.first_name),
                type='positive',
                multi_line=True,
            )
        ui.navigate.to('/portal/contacts')

    with portal_frame(_('Add a contact'), actor, back='/portal/contacts'):
        role = _role_select(roles, default.value)
        fields = ContactFields(original, is_self=False)
        fields.flags['is_primary'].disable()
        _billing_follows_role(role, fields.flags['is_billing'], family.me.is_primary)
        save_button(add)


@parent_page('/portal/contacts/{contact_id}')
async def contact_page(actor: Actor, contact_id: str):
    try:
        view = await contacts.contact_view(actor, contact_id)
    except NotFound:
        not_found(actor)
        return
    contact = view.contact
    if contact.id == actor.contact_id:
        return RedirectResponse('/portal/you')
    original = ContactForm.of(contact)

    async def save(mine: ContactForm | None = None) -> None:
        nonlocal original
        form = mine or dataclasses.replace(fields.read(original), role=role.value)
        try:
            result = await contacts.update_contact(actor, contact.id, form)
        except ValidationFailed as failure:
            fields.show_errors(failure.errors)
            return
        except ChangedMeanwhile as refused:
            changed_meanwhile(refused, form)
            return
        except NotFound:
            ui.navigate.to('/portal/contacts')
            return
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        fields.show_errors({})
        notice.hide()
        original = ContactForm.of(result.contact)
        take(original)
        saved()

    def changed_meanwhile(refused: ChangedMeanwhile, yours: ContactForm) -> None:
        notice.offer(refused, original, yours, save=save, take=take, show_errors=fields.show_errors)

    def take(theirs: ContactForm) -> None:
        nonlocal original
        original = theirs
        fill_contact(fields, theirs)
        if theirs.role in role.options:
            role.value = theirs.role
        fields.show_errors({})
        notice.hide()

    async def act(service) -> None:
        try:
            await service(actor, contact.id)
        except NotFound:
            pass
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        ui.navigate.to('/portal/contacts')

    with portal_frame(contact.full_name, actor, back='/portal/contacts'):
        role = _role_select(view.roles or [contact.role], contact.role.value)
        fields = ContactFields(original, is_self=False)
        _offer_only_what_they_may(fields, view)
        if view.editable:
            _billing_follows_role(role, fields.flags['is_billing'], view.may_set_billing)
        if not view.editable:
            ui.label(_('Only the primary contact or the studio can change a guardian.')).classes('text-gray-700')
            return
        if view.sign_in_fields:
            ui.label(
                _('{name} signs in with the grey address: only they can change it.').format(name=contact.first_name)
            ).classes('text-sm text-gray-700')
        notice = ChangedMeanwhileNotice(CONTACT_LABELS, shown_contact_value)
        save_button(save)
        if view.may_make_primary:
            hand_over = confirm_dialog(
                _('Make {name} the primary contact? You stay a guardian.').format(name=contact.full_name),
                _('Make primary contact'),
                lambda: act(contacts.hand_over_primary),
            )
            ui.button(_('Make primary contact'), icon='star', on_click=hand_over.open).props(
                'outline color=primary size=lg'
            ).classes('w-full')
        if view.removable:
            confirm = confirm_dialog(
                _("Remove {name} from your family's contacts?").format(name=contact.full_name),
                _('Remove'),
                lambda: act(contacts.remove_contact),
                danger=True,
            )
            ui.button(_('Remove this contact'), icon='delete', on_click=confirm.open).props(
                'flat color=negative'
            ).classes('w-full')
