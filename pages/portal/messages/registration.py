"""The registration the family submitted, read-only and as signed: each answer, then each agreement with the
words the parent saw then (Markdown, any HTML in it shown as text)."""

from __future__ import annotations

import datetime as dt

from nicegui import ui

from components.consent import PolicyText
from components.frame import heading, portal_frame
from components.guards import parent_page
from components.i18n import _, day, moment
from domain.access.actors import Actor, NotYourRole
from domain.messages.registration_copy import registration_of
from domain.models import QuestionKind
from domain.registration.questions import GivenAnswer

PAGE = '/portal/messages/registration'


def shown_answer(answer: GivenAnswer) -> str:
    if isinstance(answer.value, bool):
        return _('Yes') if answer.value else _('No')
    if answer.kind == QuestionKind.DATE and answer.value:
        return day(dt.date.fromisoformat(answer.value))
    if isinstance(answer.value, list):
        return ', '.join(str(v) for v in answer.value)
    return '' if answer.value is None else str(answer.value)


@parent_page(PAGE)
async def registration_page(actor: Actor):
    try:
        copy = await registration_of(actor)
    except NotYourRole as refused:
        with portal_frame(_('Your registration'), actor, back='/portal/messages'):
            ui.label(_(refused.MESSAGE)).classes('text-gray-700')
        return
    with portal_frame(_('Your registration'), actor, back='/portal/messages'):
        if copy is None:
            ui.label(_('The studio entered your family, so there is no online registration to show.')).classes(
                'text-gray-700'
            )
            return
        ui.label(_('Submitted {when}').format(when=moment(copy.submitted_at))).classes('text-sm text-gray-700')
        heading(_('Answers'), 2)
        if not copy.answers:
            ui.label(_('No answers.')).classes('text-sm text-gray-700')
        with ui.column().classes('w-full gap-2'):
            for answer in copy.answers:
                with ui.card().props('flat bordered').classes('w-full gap-1').mark('answer'):
                    ui.label(answer.participant_name or _('Family')).classes('text-sm text-gray-700')
                    ui.label(answer.prompt).classes('font-semibold break-words')
                    ui.label(shown_answer(answer)).classes('whitespace-pre-wrap break-words')
        heading(_('Agreements'), 2)
        if not copy.agreements:
            ui.label(_('No agreements yet.')).classes('text-sm text-gray-700')
        for agreement in copy.agreements:
            with ui.card().props('flat bordered').classes('w-full gap-2').mark('agreement'):
                heading(agreement.title_shown, 3).classes('text-base')
                ui.label(
                    _('Agreed by {name} on {when}').format(name=agreement.typed_name, when=moment(agreement.agreed_at))
                ).classes('text-sm text-gray-700')
                with ui.element('div').classes('w-full border rounded p-2 bg-gray-50 overflow-auto'):
                    PolicyText(agreement.text_shown)
