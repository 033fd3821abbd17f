"""Staff helping a family: find it; look after its record (contacts and participants, edited, added and removed
through the same services and rules as the parents' pages); its contacts' Portal Information, Reset Portal
Password, sent emails. Every save is made against the version its form was loaded with."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from nicegui import ui

from components.consent import PolicyText
from components.edit_conflicts import CONTACT_LABELS, ChangedMeanwhileNotice, shown_contact_value
from components.forms import (
    PARTICIPANT_LABELS,
    ContactFields,
    ParticipantFields,
    confirm_dialog,
    fill_contact,
    save_button,
    saved,
    show_errors,
    text_field,
)
from components.frame import heading
from components.guards import staff_page
from components.i18n import _, day, moment, money, ngettext
from components.staff_frame import staff_frame
from domain.access import passwords, portal_access
from domain.access.actors import ROLE_NAMES, StaffActor
from domain.billing import ledger
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.family import contacts, directory, participants
from domain.family.contacts import CONTACT_FLAGS, ContactForm
from domain.family.participants import ParticipantForm
from domain.family.versions import ChangedMeanwhile
from domain.i18n import N_
from domain.messages import history
from domain.models import Contact, ContactRole, FamilyStatus, Participant, QuestionKind
from domain.photos import photos
from domain.registration import policies, questions
from domain.studio import settings
from domain.validation import display_phone
from pages.portal.photos.child_photo import photo_or_initials
from pages.staff.family_contacts import contact_role_editor
from pages.staff.family_enrolments import enrolable_labels, enrolments_panel

STATUS_NAMES = {FamilyStatus.ACTIVE: N_('Active'), FamilyStatus.INACTIVE: N_('Inactive'), FamilyStatus.LEAD: N_('Lead')}


@staff_page('/staff/families')
async def families_page(staff: StaffActor, q: str = ''):
    rows = await directory.find_families(q)
    with staff_frame(_('Families'), staff):
        with ui.row().classes('items-end gap-2'):
            search = text_field(_('Search'), q).classes(remove='w-full', add='w-72')

            def find() -> None:
                ui.navigate.to('/staff/families?' + urlencode({'q': search.value or ''}))

            search.on('keydown.enter', find)
            ui.button(_('Search'), icon='search', on_click=find).props('unelevated color=primary')
        columns = [
            {'name': 'name', 'label': _('Family'), 'field': 'name', 'align': 'left'},
            {'name': 'status', 'label': _('Status'), 'field': 'status', 'align': 'left'},
            {'name': 'contacts', 'label': _('Contacts'), 'field': 'contacts', 'align': 'left'},
        ]
        shown = [{**r.__dict__, 'status': _(STATUS_NAMES[FamilyStatus(r.status)])} for r in rows]
        table = (
            ui.table(columns=columns, rows=shown, row_key='id')
            .props('flat bordered dense')
            .classes('w-full max-w-4xl cursor-pointer')
        )
        table.on('row-click', lambda e: ui.navigate.to(f'/staff/families/{e.args[1]["id"]}'))


@staff_page('/staff/families/{family_id}')
async def family_page(staff: StaffActor, family_id: str):
    try:
        file = await directory.family_file(family_id)
    except NotFound:
        with staff_frame(_('Not found'), staff):
            ui.link(_('Back to families'), '/staff/families')
        return
    sent = await history.family_messages_for_staff(file.family.id)
    answers = await questions.family_answers(file.family.id)
    agreements = await policies.family_agreements(file.family.id)
    shown = await photos.photo_links_for_staff(staff, [p.id for p in file.participants])

    with staff_frame(_('Family: {name}').format(name=file.family.name), staff):
        ui.label(
            _('Status')
            + f': {_(STATUS_NAMES[file.family.status])} · '
            + _('Balance due')
            + f': {money(file.account.balance)}'
        )
        heading(_('Participants'), 2)
        with ui.row().classes('w-full gap-4 items-stretch'):
            for participant in file.participants:
                participant_card(staff, participant, shown.get(participant.id))
            new_participant_card(staff, file)
        heading(_('Classes'), 2)
        enrolments_panel(staff, file, enrolable_labels(file))
        heading(_('Contacts'), 2)
        with ui.row().classes('w-full gap-4 items-stretch'):
            for contact in file.contacts:
                contact_card(staff, contact, file.open_sessions.get(contact.id, 0))
            new_contact_card(staff, file)
        if file.removed:
            heading(_('Removed contacts'), 2)
            removed_contacts(file.removed)
        if file.removed_participants:
            heading(_('Removed participants'), 2)
            removed_participants(file.removed_participants)
        heading(_('Account'), 2)
        account_panel(staff, file)
        heading(_('Registration answers'), 2)
        registration_answers(answers)
        heading(_('Policy agreements'), 2)
        policy_agreements(agreements)
        heading(_('View Sent Emails'), 2)
        ui.link(_('Write to this family'), f'/staff/messages?family={file.family.id}').classes('kr-link')
        sent_emails(sent)


def contact_card(staff: StaffActor, contact: Contact, open_sessions: int) -> None:
    async def save_access() -> None:
        await portal_access.set_portal_access(
            staff, contact.id, allow_login=allow_login.value, allow_manage_absences=allow_absences.value
        )
        saved()

    async def reset_password() -> None:
        try:
            temporary = await passwords.staff_reset_password(staff, contact.id)
        except ValidationFailed:
            ui.notify(_('This contact has no email address to send the password to'), type='negative')
            return
        with ui.dialog() as shown, ui.card():
            ui.label(
                _('Temporary password for {name}. It is shown only now, and was emailed to {email}.').format(
                    name=contact.full_name, email=contact.email
                )
            )
            ui.label(temporary).classes('font-mono text-2xl').mark('temporary-password')
            ui.button(_('Close'), on_click=shown.close).props('flat')
        shown.open()

    async def end_sessions() -> None:
        ended = await portal_access.end_contact_sessions(staff, contact.id)
        ui.notify(
            ngettext('{count} session ended', '{count} sessions ended', ended).format(count=ended), type='positive'
        )

    with ui.card().classes('w-96').mark(f'contact-{contact.id}'):
        ui.label(contact.full_name).classes('text-lg font-semibold')
        flags = [_(flag.label) for flag in CONTACT_FLAGS if getattr(contact, flag.name)]
        ui.label(' · '.join(filter(None, [contact.relationship, *flags]))).classes('text-sm')
        ui.label(' · '.join(filter(None, [contact.email, display_phone(contact.mobile_phone)]))).classes('text-sm')
        ui.separator()
        ui.label(_('Portal Information')).classes('font-semibold')
        for label, value in (
            (_('Login ID'), contact.email or '—'),
            (_('Logins'), contact.login_count),
            (_('Last Login'), moment(contact.last_login) if contact.last_login else '—'),
            (_('Open sessions'), open_sessions),
        ):
            ui.label(f'{label}: {value}')
        if contact.locked:
            ui.label(_('Locked after incorrect passwords')).classes('text-negative')
        allow_login = ui.checkbox(
            _('Allow to login to Parent Portal'), value=contact.allow_login, on_change=save_access
        )
        allow_absences = ui.checkbox(
            _('Allow to manage absences and makeups in the Parent Portal'),
            value=contact.allow_manage_absences,
            on_change=save_access,
        )
        with ui.row():
            ui.button(_('Reset Portal Password'), on_click=reset_password).props('outline color=primary')
            ui.button(_('End sessions'), on_click=end_sessions).props('flat color=primary')
        ui.separator()
        contact_role_editor(staff, contact)
        with ui.expansion(_('Edit details'), icon='edit').classes('w-full'):
            contact_editor(staff, contact)


def contact_editor(staff: StaffActor, contact: Contact) -> None:
    """A contact's details, saved against the version they were loaded with. The role, primary and billing are
    the role editor's; the email or mobile they sign in with stays theirs to change."""
    loaded = ContactForm.of(contact)

    async def save(mine: ContactForm | None = None) -> None:
        nonlocal loaded
        yours = mine or fields.read(loaded)
        try:
            stored = await contacts.update_contact_by_staff(staff, contact.id, yours)
        except ValidationFailed as failure:
            fields.show_errors(failure.errors)
            return
        except ChangedMeanwhile as refused:
            notice.offer(refused, loaded, yours, save=save, take=take, show_errors=fields.show_errors)
            return
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        take(ContactForm.of(stored))
        saved()

    def take(theirs: ContactForm) -> None:
        nonlocal loaded
        loaded = theirs
        fill_contact(fields, theirs)
        fields.show_errors({})
        notice.hide()

    async def remove() -> None:
        try:
            await contacts.remove_contact_by_staff(staff, contact.id)
        except DomainError as refused:
            confirm.close()
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        ui.navigate.to(f'/staff/families/{contact.family_id}')

    fields = ContactFields(loaded, is_self=False)
    for name in ('is_primary', 'is_billing'):
        fields.flags[name].disable()  # the role editor above sets them, keeping one primary and a billing contact
    for name in contacts.sign_in_fields(contact):
        fields.fields[name].disable()
    notice = ChangedMeanwhileNotice(CONTACT_LABELS, shown_contact_value)
    save_button(save, _('Save Changes'))
    if not contact.is_primary:
        question = _("Remove {name} from the family's contacts?").format(name=contact.full_name)
        confirm = confirm_dialog(question, _('Remove'), remove, danger=True, marker=f'remove-contact-{contact.id}')
        ui.button(_('Remove this contact'), icon='delete', on_click=confirm.open).props('flat color=negative')


def new_contact_card(staff: StaffActor, file: directory.FamilyFile) -> None:
    blank = ContactForm('', file.family.name, role=ContactRole.GUARDIAN_NO_BILLING.value)

    async def add() -> None:
        form = ContactForm(**{**fields.read(blank).__dict__, 'role': role.value})
        try:
            await contacts.add_contact_by_staff(staff, file.family.id, form)
        except ValidationFailed as failure:
            fields.show_errors(failure.errors)
            return
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        ui.navigate.to(f'/staff/families/{file.family.id}')

    with ui.card().classes('w-96').mark('new-contact'), ui.expansion(_('Add Contact'), icon='person_add'):
        role = (
            ui.select(
                {value.value: _(name) for value, name in ROLE_NAMES.items()},
                value=blank.role,
                label=_('Role in the family'),
            )
            .props('outlined stack-label')
            .classes('w-full')
        )
        fields = ContactFields(blank, is_self=False)
        fields.flags['is_primary'].disable()  # passed on with the role editor, once they are in the family
        save_button(add, _('Add'))


def participant_card(staff: StaffActor, participant: Participant, photo: tuple[str, str] | None = None) -> None:
    """Everything of a participant, birthdate and health notes too, saved against the version they were loaded
    with, as a parent's save is."""
    loaded = ParticipantForm.of(participant)

    async def save(mine: ParticipantForm | None = None) -> None:
        nonlocal loaded
        yours = mine or editor.read(loaded)
        try:
            stored = await participants.update_participant_by_staff(staff, participant.id, yours)
        except ValidationFailed as failure:
            editor.show_errors(failure.errors)
            return
        except ChangedMeanwhile as refused:
            notice.offer(refused, loaded, yours, save=save, take=take, show_errors=editor.show_errors)
            return
        except NotFound:
            ui.navigate.reload()
            return
        name.text = stored.full_name
        take(ParticipantForm.of(stored))
        saved()

    def take(theirs: ParticipantForm) -> None:
        nonlocal loaded
        loaded = theirs
        editor.fill(theirs)
        editor.show_errors({})
        notice.hide()

    async def remove() -> None:
        try:
            await participants.remove_participant_by_staff(staff, participant.id)
        except DomainError as refused:
            confirm.close()
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        ui.navigate.to(f'/staff/families/{participant.family_id}')

    with ui.card().classes('w-96').mark(f'participant-{participant.id}'):
        with ui.row().classes('items-center gap-3 no-wrap'):
            if photo is not None:  # the thumbnail opens the whole photo
                with ui.link(target=photo[1], new_tab=True):
                    photo_or_initials(photo[0], participant.full_name, 64)
            name = ui.label(participant.full_name).classes('text-lg font-semibold')
        ui.link(
            _('Share a file with {name}').format(name=participant.first_name),
            f'/staff/resources?participant={participant.id}',
        ).classes('kr-link')
        editor = ParticipantFields(loaded)
        notice = ChangedMeanwhileNotice(PARTICIPANT_LABELS)
        save_button(save, _('Save Changes'))
        question = _("Remove {name} from the family's participants? Their history stays, read-only.").format(
            name=participant.full_name
        )
        confirm = confirm_dialog(
            question, _('Remove'), remove, danger=True, marker=f'remove-participant-{participant.id}'
        )
        ui.button(_('Remove this participant'), icon='delete', on_click=confirm.open).props('flat color=negative')


def new_participant_card(staff: StaffActor, file: directory.FamilyFile) -> None:
    blank = ParticipantForm('', file.family.name)

    async def add() -> None:
        try:
            await participants.add_participant_by_staff(staff, file.family.id, editor.read(blank))
        except ValidationFailed as failure:
            editor.show_errors(failure.errors)
            return
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        ui.navigate.to(f'/staff/families/{file.family.id}')

    with ui.card().classes('w-96').mark('new-participant'), ui.expansion(_('Add Participant'), icon='person_add'):
        editor = ParticipantFields(blank)
        save_button(add, _('Add'))


def removed_contacts(removed: tuple[Contact, ...]) -> None:
    """Taken off the family, read-only: their payments, agreements and log lines stay theirs."""
    columns = [
        {'name': c, 'label': label, 'field': c, 'align': 'left'}
        for c, label in (
            ('name', _('Name')),
            ('relationship', _('Relationship')),
            ('role', _('Role in the family')),
            ('reach', _('Email and phone')),
            ('removed', _('Removed')),
        )
    ]
    rows = [
        {
            'id': c.id,
            'name': c.full_name,
            'relationship': c.relationship,
            'role': _(ROLE_NAMES[c.role]),
            'reach': ' · '.join(filter(None, [c.email or c.pending_email, display_phone(c.mobile_phone)])),
            'removed': moment(c.removed_at) if c.removed_at else '',
        }
        for c in removed
    ]
    ui.table(columns=columns, rows=rows, row_key='id').props('flat bordered dense').classes('w-full max-w-4xl').mark(
        'removed-contacts'
    )


def removed_participants(removed: tuple[Participant, ...]) -> None:
    """Children who left the studio, read-only: their agreements, answers, log lines and payments stay theirs."""
    columns = [
        {'name': c, 'label': label, 'field': c, 'align': 'left'}
        for c, label in (('name', _('Name')), ('birthdate', _('Birthdate')), ('removed', _('Removed')))
    ]
    rows = [
        {
            'id': p.id,
            'name': p.full_name,
            'birthdate': day(p.birthdate),
            'removed': moment(p.removed_at) if p.removed_at else '',
        }
        for p in removed
    ]
    ui.table(columns=columns, rows=rows, row_key='id').props('flat bordered dense').classes('w-full max-w-4xl').mark(
        'removed-participants'
    )


def sent_emails(sent: list[history.SentMessage]) -> None:
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
    columns = [
        {'name': c, 'label': label, 'field': c, 'align': 'left'}
        for c, label in (
            ('date', _('Date Sent')),
            ('status', _('Status')),
            ('type', _('Type')),
            ('subject', _('Subject')),
            ('recipient', _('Recipient')),
            ('to', _('To Address')),
            ('from', _('From Address')),
        )
    ]
    rows = [
        {
            'id': m.id,
            'date': moment(m.sent_at or m.created_at),
            'status': status_names[m.status.value],
            'type': _(m.kind_label),
            'subject': m.subject,
            'recipient': m.recipient_name,
            'to': m.to_address,
            'from': m.from_address,
        }
        for m in sent
    ]
    table = ui.table(columns=columns, rows=rows, row_key='id').props('flat bordered dense wrap-cells').classes('w-full')
    table.on('row-click', show)
    ui.label(_('History is kept for {days} days.').format(days=settings.current().message_retention_days)).classes(
        'text-sm text-gray-700'
    )


def registration_answers(answers: list[questions.GivenAnswer]) -> None:
    """Each answer with the question's words as they were asked."""
    if not answers:
        ui.label(_('No answers.')).classes('text-sm text-gray-700')
        return

    def shown(answer: questions.GivenAnswer) -> str:
        if isinstance(answer.value, bool):
            return _('Yes') if answer.value else _('No')
        if answer.kind == QuestionKind.DATE and answer.value:
            return day(dt.date.fromisoformat(answer.value))
        return ', '.join(answer.value) if isinstance(answer.value, list) else str(answer.value)

    columns = [
        {'name': c, 'label': label, 'field': c, 'align': 'left'}
        for c, label in (('who', _('Participant')), ('question', _('Question')), ('answer', _('Answer')))
    ]
    rows = [
        {'id': i, 'who': a.participant_name or _('Family'), 'question': a.prompt, 'answer': shown(a)}
        for i, a in enumerate(answers)
    ]
    ui.table(columns=columns, rows=rows, row_key='id').props('flat bordered dense').classes('w-full max-w-4xl')


def policy_agreements(agreements) -> None:
    """Who agreed to which version, when and from where; a click shows the exact words they saw."""

    def show(event) -> None:
        agreement = next(a for a in agreements if a.id == event.args[1]['id'])
        with ui.dialog() as copy, ui.card().classes('w-full max-w-2xl'):
            ui.label(agreement.title_shown).classes('font-semibold')
            ui.label(
                _('Agreed by {name} on {when}').format(name=agreement.typed_name, when=moment(agreement.agreed_at))
            )
            ui.label(f'{agreement.client_ip} · {agreement.user_agent}').classes('text-sm text-gray-700')
            with ui.element('div').classes('w-full border rounded p-2'):
                PolicyText(agreement.text_shown)
            ui.button(_('Close'), on_click=copy.close).props('flat')
        copy.open()

    if not agreements:
        ui.label(_('No agreements yet.')).classes('text-sm text-gray-700')
        return
    columns = [
        {'name': c, 'label': label, 'field': c, 'align': 'left'}
        for c, label in (
            ('date', _('Date')),
            ('policy', _('Policy')),
            ('version', _('Version')),
            ('name', _('Typed name')),
            ('contact', _('Contact')),
        )
    ]
    rows = [
        {
            'id': a.id,
            'date': moment(a.agreed_at),
            'policy': a.title_shown,
            'version': a.policy_version.version,
            'name': a.typed_name,
            'contact': a.contact_name,
        }
        for a in agreements
    ]
    table = ui.table(columns=columns, rows=rows, row_key='id').props('flat bordered dense').classes('w-full max-w-4xl')
    table.on('row-click', show)


def account_panel(staff: StaffActor, file: directory.FamilyFile) -> None:
    """Recent entries, and posting a fee, credit or refund (a correction is a new entry, never an edit)."""

    async def post() -> None:
        try:
            await ledger.post_by_staff(staff, file.family.id, kind.value, amount.value or '', description.value or '')
        except ValidationFailed as failure:
            show_errors({'amount': amount, 'description': description}, failure.errors)
            return
        ui.navigate.reload()

    columns = [
        {'name': c, 'label': label, 'field': c, 'align': 'left'}
        for c, label in (
            ('date', _('Date')),
            ('kind', _('Type')),
            ('description', _('Description')),
            ('amount', _('Amount')),
        )
    ]
    rows = [
        {
            'id': i,
            'date': moment(line.posted_at),
            'kind': _(ledger.KIND_NAMES[line.kind]),
            'description': line.description,
            'amount': money(line.effect),
        }
        for i, line in enumerate(file.account.recent)
    ]
    ui.table(columns=columns, rows=rows, row_key='id').props('flat bordered dense').classes('w-full max-w-4xl')
    with ui.row().classes('items-start gap-2'):
        kind = (
            ui.select({k.value: _(ledger.KIND_NAMES[k]) for k in ledger.STAFF_KINDS}, value='fee', label=_('Type'))
            .props('outlined dense')
            .classes('w-32')
        )
        amount = text_field(_('Amount')).props('dense inputmode=decimal').classes(remove='w-full', add='w-32')
        description = text_field(_('Description')).props('dense').classes(remove='w-full', add='w-72')
        ui.button(_('Post to account'), on_click=post).props('unelevated color=primary')
