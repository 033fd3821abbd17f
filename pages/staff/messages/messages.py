"""Staff write an email or a text to an audience (every family, a location, a class, a session, an event, the
families waiting for a class), or to one family when opened from its page (/staff/messages?family=ID). Before
it goes, a dialog says whom it reaches ("Send to 38 contacts in 21 families?"); below, View Sent Emails lists
every message with its copies by status."""

from __future__ import annotations

from nicegui import ui

from components.forms import show_errors, text_field
from components.frame import heading
from components.guards import staff_page
from components.i18n import _, moment, ngettext
from components.staff_frame import staff_frame
from domain.access.actors import StaffActor
from domain.classes.audiences import KIND_LABELS, Audience, Choice
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.i18n import N_
from domain.messages import studio_messages
from domain.messages.studio_messages import Reach, SentStudioMessage
from domain.models import AudienceKind, DeliveryStatus, StudioMessageChannel

PAGE = '/staff/messages'
CHANNEL_NAMES = {StudioMessageChannel.EMAIL: N_('Email'), StudioMessageChannel.TEXT: N_('Text message')}


def _key(audience: Audience) -> str:
    return f'{audience.kind.value}:{audience.id or ""}'


def _label(choice: Choice) -> str:
    return f'{_(choice.kind_label)}: {choice.name}' if choice.name else _(choice.kind_label)


def _question(reach: Reach) -> str:
    contacts = ngettext('{count} contact', '{count} contacts', reach.contacts).format(count=reach.contacts)
    families = ngettext('{count} family', '{count} families', reach.families).format(count=reach.families)
    return _('Send to {contacts} in {families}?').format(contacts=contacts, families=families)


@staff_page(PAGE, title=N_('Messages'))
async def messages_page(staff: StaffActor, family: str = ''):
    try:
        choices = await studio_messages.audience_choices(family or None)
    except NotFound:
        with staff_frame(_('Not found'), staff):
            ui.link(_('Back to families'), '/staff/families')
        return
    sent = await studio_messages.sent_list()
    audiences = {_key(c.audience): c.audience for c in choices}

    def typed() -> dict:
        return dict(
            channel=StudioMessageChannel(channel.value),
            subject=subject.value or '',
            body=body.value or '',
            audience=audiences.get(audience.value or '', Audience(AudienceKind.CLASS)),
        )

    async def ask() -> None:
        try:
            reach = await studio_messages.preview(staff, **typed())
        except ValidationFailed as failure:
            show_errors(fields, failure.errors)
            return
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        show_errors(fields, {})
        confirm.question.text = _question(reach)  # type: ignore[attr-defined]
        confirm.open()

    async def send() -> None:
        send_button.disable()  # a second tap must not send it twice
        try:
            message = await studio_messages.send(staff, **typed())
        except ValidationFailed as failure:
            confirm.close()
            send_button.enable()
            show_errors(fields, failure.errors)
            return
        except DomainError as refused:
            confirm.close()
            send_button.enable()
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        confirm.close()
        ui.notify(
            ngettext('Queued for {count} contact', 'Queued for {count} contacts', message.recipients).format(
                count=message.recipients
            ),
            type='positive',
        )
        ui.navigate.to(PAGE + (f'?family={family}' if family else ''))

    def follow_channel() -> None:
        subject.set_visibility(channel.value == StudioMessageChannel.EMAIL.value)

    with staff_frame(_('Messages'), staff):
        if family:  # opened from the family's page: the way back, and whom it is for
            ui.link(_('Back to the family'), f'/staff/families/{family}').classes('kr-link')
            heading(_('Write to this family'), 2)
        else:
            heading(_('Write to families'), 2)
        with ui.column().classes('w-full max-w-2xl gap-2'):
            channel = (
                ui.toggle(
                    {c.value: _(name) for c, name in CHANNEL_NAMES.items()},
                    value=StudioMessageChannel.EMAIL.value,
                    on_change=follow_channel,
                )
                .props('no-caps')
                .mark('channel')
            )
            options = {_key(c.audience): _label(c) for c in choices}
            audience = (
                ui.select(options, value=next(iter(options), None), label=_('To'))
                .props('outlined stack-label')
                .classes('w-full')
                .mark('audience')
            )
            if family:
                audience.disable()
                ui.label(_('A message to one family reaches all its contacts, even those who opted out of mass email.'))
            else:
                ui.label(_('Contacts who turned on Mass Email Opt-Out are left out.')).classes('text-sm text-gray-700')
            subject = text_field(_('Subject')).mark('subject')
            body = ui.textarea(_('Message')).props('outlined stack-label autogrow').classes('w-full').mark('body')
            fields = {'audience': audience, 'subject': subject, 'body': body}
            ui.button(_('Send…'), icon='mail', on_click=ask).props('unelevated color=primary')
        with ui.dialog() as confirm, ui.card().mark('confirm-send'):
            confirm.question = ui.label('')  # type: ignore[attr-defined]
            with ui.row().classes('w-full justify-end'):
                ui.button(_('Cancel'), on_click=confirm.close).props('flat')
                send_button = ui.button(_('Send'), on_click=send).props('unelevated color=primary')
        heading(_('View Sent Emails'), 2)
        sent_list(sent)


def sent_list(sent: list[SentStudioMessage]) -> None:
    def show(event) -> None:
        message = next(m for m in sent if m.id == event.args[1]['id'])
        with ui.dialog() as copy, ui.card().classes('w-full max-w-2xl'):
            ui.label(message.subject or _(CHANNEL_NAMES[message.channel])).classes('font-semibold')
            ui.label(message.body).classes('whitespace-pre-wrap')
            ui.button(_('Close'), on_click=copy.close).props('flat')
        copy.open()

    if not sent:
        ui.label(_('No messages sent yet.')).classes('text-sm text-gray-700')
        return
    columns = [
        {'name': c, 'label': label, 'field': c, 'align': 'left'}
        for c, label in (
            ('date', _('Date Sent')),
            ('channel', _('Type')),
            ('subject', _('Subject')),
            ('audience', _('To')),
            ('recipients', _('Recipients')),
            ('sent', _('Complete')),
            ('queued', _('Queued')),
            ('failed', _('Failed')),
            ('by', _('Sent by')),
        )
    ]
    rows = [
        {
            'id': m.id,
            'date': moment(m.created_at),
            'channel': _(CHANNEL_NAMES[m.channel]),
            'subject': m.subject or studio_messages.first_line(m.body),
            'audience': f'{_(KIND_LABELS[m.audience_kind])}: {m.audience_name}'
            if m.audience_name
            else _(KIND_LABELS[m.audience_kind]),
            'recipients': m.recipients,
            'sent': m.by_status.get(DeliveryStatus.SENT, 0),
            'queued': m.by_status.get(DeliveryStatus.QUEUED, 0),
            'failed': m.by_status.get(DeliveryStatus.FAILED, 0),
            'by': m.created_by,
        }
        for m in sent
    ]
    table = ui.table(columns=columns, rows=rows, row_key='id').props('flat bordered dense').classes('w-full')
    table.mark('sent-messages')
    table.on('row-click', show)
