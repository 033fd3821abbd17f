"""What new families are asked when they register: the studio's own questions and its legal policies."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.forms import show_errors, text_field
from components.frame import heading
from components.guards import staff_page
from components.i18n import _, moment, ngettext
from components.staff_frame import staff_frame
from domain.access.actors import StaffActor
from domain.errors import ValidationFailed
from domain.i18n import N_
from domain.models import Question, QuestionKind, QuestionScope, StaffRole
from domain.registration import policies, questions
from domain.registration.policies import PolicyForm
from domain.registration.questions import KIND_LABELS, QuestionForm
from domain.studio import settings


@staff_page('/staff/policies', role=StaffRole.ADMIN, title=N_('Policies'))
async def policies_page(admin: StaffActor):
    versions = await policies.current_versions()

    async def save_renewal() -> None:
        try:
            await policies.set_renewal_months(admin, int(renewal.value or 0))
        except ValidationFailed as failure:
            show_errors({'months': renewal}, failure.errors)
            return
        show_errors({'months': renewal}, {})
        ui.notify(_('Saved'), type='positive')

    async def send_requests() -> None:
        sent = await policies.send_requests(admin)
        ui.notify(
            ngettext('Policy request sent to {count} family', 'Policy request sent to {count} families', sent).format(
                count=sent
            ),
            type='positive',
        )

    with staff_frame(_('Policies'), admin):
        ui.label(
            _(
                'At registration, every policy below must be agreed to. Editing a policy saves a new version: '
                'families agree again at their next sign-in, and agreements already given keep the words '
                'that were shown.'
            )
        ).classes('max-w-3xl')
        with ui.row().classes('items-end gap-2'):
            renewal = (
                ui.number(
                    _('Ask families to agree again after (months)'),
                    min=1,
                    max=120,
                    precision=0,
                    value=settings.current().policy_renewal_months,
                )
                .props('outlined')
                .classes('w-80')
            )
            ui.button(_('Save'), on_click=save_renewal).props('unelevated color=primary')
            ui.button(_('Send policy request'), icon='mail', on_click=send_requests).props('outline color=primary')
        for version in versions:
            policy_editor(admin, version)
        heading(_('Add a policy'), 2)
        policy_editor(admin, None)


def policy_editor(admin: StaffActor, version) -> None:
    async def save() -> None:
        form = PolicyForm(title.value or '', body.value or '')
        try:
            if version is None:
                await policies.add_policy(admin, form)
            else:
                await policies.revise_policy(admin, version.policy_id, form)
        except ValidationFailed as failure:
            show_errors(fields, failure.errors)
            return
        ui.navigate.reload()

    async def retire() -> None:
        await policies.retire_policy(admin, version.policy_id)
        ui.navigate.reload()

    with ui.card().classes('w-full max-w-3xl gap-2'):
        if version is not None:
            ui.label(
                _('Version {number}, saved {when} by {name}').format(
                    number=version.version, when=moment(version.created_at), name=version.created_by or '—'
                )
            ).classes('text-sm text-gray-700')
        title = text_field(_('Title'), version.title if version else '')
        body = (
            ui.textarea(_('Text (Markdown: **bold**, *italic*, lists)'), value=version.body if version else '')
            .props('outlined stack-label autogrow')
            .classes('w-full')
        )
        fields = {'title': title, 'body': body}
        with ui.row():
            ui.button(_('Save as a new version') if version else _('Add policy'), on_click=save).props(
                'unelevated color=primary'
            )
            if version is not None:
                ui.button(_('Retire'), on_click=retire).props('flat color=negative')


@staff_page('/staff/questions', role=StaffRole.ADMIN, title=N_('Registration questions'))
async def questions_page(admin: StaffActor):
    asked = await questions.active_questions()

    async def act(action: Callable, *args) -> None:
        await action(admin, *args)
        ui.navigate.reload()

    with staff_frame(_('Registration questions'), admin):
        ui.label(
            _(
                'Your own questions for new families. Editing or retiring a question never changes answers '
                'already given.'
            )
        ).classes('max-w-3xl')
        up, down = _('Move up'), _('Move down')
        scopes = {QuestionScope.FAMILY: _('Once per family'), QuestionScope.PARTICIPANT: _('For each participant')}
        for question in asked:
            with ui.card().classes('w-full max-w-3xl gap-1').mark(f'question-{question.id}'):
                ui.label(question.prompt).classes('font-semibold')
                ui.label(
                    ' · '.join(
                        [
                            _(KIND_LABELS[question.kind]),
                            scopes[question.scope],
                            _('Required') if question.required else _('Optional'),
                        ]
                        + (['; '.join(question.choices)] if question.choices else [])
                    )
                ).classes('text-sm')
                with ui.row().classes('gap-1'):
                    earlier = ui.button(
                        icon='arrow_upward', on_click=lambda q=question: act(questions.move_question, q.id, -1)
                    ).props('flat dense')
                    earlier.props['aria-label'] = up
                    later = ui.button(
                        icon='arrow_downward', on_click=lambda q=question: act(questions.move_question, q.id, 1)
                    ).props('flat dense')
                    later.props['aria-label'] = down
                    ui.button(_('Edit'), on_click=lambda q=question: question_dialog(admin, q)).props('flat dense')
                    ui.button(_('Retire'), on_click=lambda q=question: act(questions.retire_question, q.id)).props(
                        'flat dense color=negative'
                    )
        ui.button(_('Add a question'), icon='add', on_click=lambda: question_dialog(admin, None)).props(
            'unelevated color=primary'
        )


def question_dialog(admin: StaffActor, question: Question | None) -> None:
    form = QuestionForm.of(question) if question else QuestionForm('', QuestionKind.SHORT_TEXT.value)

    async def save() -> None:
        typed = QuestionForm(
            fields['prompt'].value or '',
            fields['kind'].value,
            fields['choices'].value or '',
            bool(required.value),
            fields['scope'].value,
        )
        try:
            if question is None:
                await questions.add_question(admin, typed)
            else:
                await questions.edit_question(admin, question.id, typed)
        except ValidationFailed as failure:
            show_errors(fields, failure.errors)
            return
        ui.navigate.reload()

    with ui.dialog() as dialog, ui.card().classes('w-full max-w-xl'):
        fields = {
            'prompt': text_field(_('Question'), form.prompt),
            'kind': ui.select(
                {k.value: _(label) for k, label in KIND_LABELS.items()}, value=form.kind, label=_('Kind of answer')
            )
            .props('outlined stack-label')
            .classes('w-full'),
            'choices': ui.textarea(_('Choices, one per line'), value=form.choices)
            .props('outlined stack-label autogrow')
            .classes('w-full'),
            'scope': ui.select(
                {
                    QuestionScope.FAMILY.value: _('Once per family'),
                    QuestionScope.PARTICIPANT.value: _('For each participant'),
                },
                value=form.scope,
                label=_('Asked'),
            )
            .props('outlined stack-label')
            .classes('w-full'),
        }
        required = ui.checkbox(_('Required'), value=form.required)
        with ui.row():
            ui.button(_('Save'), on_click=save).props('unelevated color=primary')
            ui.button(_('Cancel'), on_click=dialog.close).props('flat')
    dialog.open()
