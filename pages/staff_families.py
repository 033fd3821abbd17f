"""Staff helping a family: find it, its contacts' Portal Information, Reset Portal Password, sent emails."""

from __future__ import annotations

from urllib.parse import urlencode

from nicegui import ui

from components import session

from components.forms import text_field
from components.frame import heading
from components.i18n import _, money, moment
from components.staff_frame import staff_frame
from domain import front_desk, message_history, passwords, studio
from domain.access import StaffActor
from domain.errors import NotFound, ValidationFailed
from domain.models import Contact
from domain.validation import display_phone


@ui.page('/staff/families')
async def families_page(q: str = ''):
    staff = await session.require_staff()
    if not isinstance(staff, StaffActor):
        return staff
    rows = await front_desk.find_families(q)
    with staff_frame(_('Families'), staff):
        with ui.row().classes('items-end gap-2'):
            search = text_field(_('Search'), q).classes(remove='w-full', add='w-72')
            def find() -> None:
                ui.navigate.to('/staff/families?' + urlencode({'q': search.value or ''}))
            search.on('keydown.enter', find)
            ui.button(_('Search'), icon='search', on_click=find).props('unelevated color=primary')
        columns = [{'name': 'name', 'label': _('Family'), 'field': 'name', 'align': 'left'},
                   {'name': 'status', 'label': _('Status'), 'field': 'status', 'align': 'left'},
                   {'name': 'contacts', 'label': _('Contacts'), 'field': 'contacts', 'align': 'left'}]
        table = ui.table(columns=columns, rows=[r.__dict__ for r in rows], row_key='id') \
            .props('flat bordered dense').classes('w-full max-w-4xl cursor-pointer')
        table.on('row-click', lambda e: ui.navigate.to(f'/staff/families/{e.args[1]["id"]}'))


@ui.page('/staff/families/{family_id}')
async def family_page(family_id: str):
    staff = await session.require_staff()
    if not isinstance(staff, StaffActor):
        return staff
    try:
        file = await front_desk.family_file(int(family_id))
    except (NotFound, ValueError):
        with staff_frame(_('Not found'), staff):
            ui.link(_('Back to families'), '/staff/families')
        return
    sent = await message_history.family_messages(file.family.id)

    with staff_frame(_('Family: {name}').format(name=file.family.name), staff):
        ui.label(_('Status') + f': {file.family.status.value} · ' + _('Balance due') + f': {money(file.account.balance)}')
        ui.label(_('Participants') + ': ' + ', '.join(p.full_name for p in file.participants))
        with ui.row().classes('w-full gap-4 items-stretch'):
            for contact in file.contacts:
                contact_card(staff, contact, file.open_sessions.get(contact.id, 0))
        heading(_('View Sent Emails'), 2)
        sent_emails(sent)


def contact_card(staff: StaffActor, contact: Contact, open_sessions: int) -> None:
    async def save_access() -> None:
        await front_desk.set_portal_access(staff, contact.id, allow_login=allow_login.value,
                                           allow_manage_absences=allow_absences.value)
        ui.notify(_('Saved'), type='positive')

    async def reset_password() -> None:
        try:
            temporary = await passwords.staff_reset_password(staff, contact.id)
        except ValidationFailed:
            ui.notify(_('This contact has no email address to send the password to'), type='negative')
            return
        with ui.dialog() as shown, ui.card():
            ui.label(_('Temporary password for {name}. It is shown only now, and was emailed to {email}.')
                     .format(name=contact.full_name, email=contact.email))
            ui.label(temporary).classes('font-mono text-2xl').mark('temporary-password')
            ui.button(_('Close'), on_click=shown.close).props('flat')
        shown.open()

    async def end_sessions() -> None:
        ended = await front_desk.end_contact_sessions(staff, contact.id)
        ui.notify(_('{count} session(s) ended').format(count=ended), type='positive')

    with ui.card().classes('w-96').mark(f'contact-{contact.id}'):
        ui.label(contact.full_name).classes('text-lg font-semibold')
        flags = [label for flag, label in ((contact.is_primary, _('Primary contact')),
                                           (contact.is_billing, _('Billing contact')),
                                           (contact.can_pick_up, _('Authorized to pick up')),
                                           (contact.is_emergency, _('Emergency contact'))) if flag]
        ui.label(' · '.join(filter(None, [contact.relationship, *flags]))).classes('text-sm')
        ui.label(' · '.join(filter(None, [contact.email, display_phone(contact.mobile_phone)]))).classes('text-sm')
        ui.separator()
        ui.label(_('Portal Information')).classes('font-semibold')
        for label, value in ((_('Login ID'), contact.email or '—'), (_('Logins'), contact.login_count),
                             (_('Last Login'), moment(contact.last_login) if contact.last_login else '—'),
                             (_('Open sessions'), open_sessions)):
            ui.label(f'{label}: {value}')
        if contact.locked:
            ui.label(_('Locked after incorrect passwords')).classes('text-negative')
        allow_login = ui.checkbox(_('Allow to login to Parent Portal'), value=contact.allow_login,
                                  on_change=save_access)
        allow_absences = ui.checkbox(_('Allow to manage absences and makeups in the Parent Portal'),
                                     value=contact.allow_manage_absences, on_change=save_access)
        with ui.row():
            ui.button(_('Reset Portal Password'), on_click=reset_password).props('outline color=primary')
            ui.button(_('End sessions'), on_click=end_sessions).props('flat color=primary')


def sent_emails(sent: list[message_history.SentMessage]) -> None:
    def show(event) -> None:
        message = next(m for m in sent if m.id == event.args[1]['id'])
        with ui.dialog() as copy, ui.card().classes('w-full max-w-2xl'):
            ui.label(message.subject or _(message.kind_label)).classes('font-semibold')
            ui.label(f'{message.from_address} → {message.to_address}').classes('text-sm')
            ui.label(message.text).classes('whitespace-pre-wrap')
            if message.last_error:
                ui.label(message.last_error).classes('text-negative text-sm')
            ui.button(_('Close'), on_click=copy.close).props('flat')
        copy.open()

    status_names = {'queued': _('Queued'), 'sent': _('Complete'), 'failed': _('Failed')}
    columns = [{'name': c, 'label': label, 'field': c, 'align': 'left'} for c, label in (
        ('date', _('Date Sent')), ('status', _('Status')), ('type', _('Type')), ('subject', _('Subject')),
        ('recipient', _('Recipient')), ('to', _('To Address')), ('from', _('From Address')))]
    rows = [{'id': m.id, 'date': moment(m.sent_at or m.created_at), 'status': status_names[m.status.value],
             'type': _(m.kind_label), 'subject': m.subject, 'recipient': m.recipient_name, 'to': m.to_address,
             'from': m.from_address} for m in sent]
    table = ui.table(columns=columns, rows=rows, row_key='id').props('flat bordered dense').classes('w-full')
    table.on('row-click', show)
    ui.label(_('History is kept for {days} days.').format(days=studio.current().message_retention_days)) \
        .classes('text-sm text-gray-700')
