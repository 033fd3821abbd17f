"""The studio's own registration questions, asked once per family or once per participant.

Answers keep the question's wording as it was asked, so editing or retiring a question never changes
or loses an answer already given; questions are retired, never deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from domain import audit, clock
from domain.access.actors import StaffActor, require_admin
from domain.errors import NotFound
from domain.i18n import N_
from domain.models import Answer, Participant, Question, QuestionKind, QuestionScope
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
KIND_LABELS = {
    QuestionKind.SHORT_TEXT: N_('Short text'),
    QuestionKind.LONG_TEXT: N_('Long text'),
    QuestionKind.YES_NO: N_('Yes or no'),
    QuestionKind.SINGLE_CHOICE: N_('One choice'),
    QuestionKind.MULTIPLE_CHOICE: N_('Several choices'),
    QuestionKind.DATE: N_('Date'),
    QuestionKind.NUMBER: N_('Number'),
}
REQUIRED = N_('Please answer this question')


@dataclass(frozen=True)
class QuestionForm:
    """What staff typed; choices come one per line."""

    prompt: str
    kind: str
    choices: str = ''
    required: bool = False
    scope: str = QuestionScope.FAMILY.value

    @classmethod
    def of(cls, question: Question) -> QuestionForm:
        return cls(
            question.prompt, question.kind.value, '\n'.join(question.choices), question.required, question.scope.value
        )

    def cleaned(self) -> dict:
        clean = Cleaner()
        prompt = clean.name('prompt', self.prompt, max_length=300)
        kind = clean.choice('kind', self.kind, {k.value for k in QuestionKind})
        scope = clean.choice('scope', self.scope, {s.value for s in QuestionScope})
        typed = clean.text('choices', self.choices, max_length=4000).splitlines()  # hidden characters refused
        choices = list(dict.fromkeys(clean.name('choices', line, max_length=120) for line in typed if line.strip()))
        if kind in CHOICE_KINDS and len(choices) < 2:
            clean.fail('choices', N_('Give at least two choices, one per line'))
        clean.raise_if_invalid()
        return {
            'prompt': prompt,
            'kind': QuestionKind(kind),
            'scope': QuestionScope(scope),
            'required': bool(self.required),
            'choices': choices if kind in CHOICE_KINDS else [],
        }


async def active_questions(scope: QuestionScope | None = None) -> list[Question]:
    query = Question.filter(retired_at=None)
    if scope:
        query = query.filter(scope=scope)
    return await query.order_by('position', 'id')


async def add_question(by: StaffActor, form: QuestionForm) -> Question:
    require_admin(by)
    values = form.cleaned()
    async with UnitOfWork() as uow:
        last = await Question.filter(retired_at=None).order_by('-position').using_db(uow.connection).first()
        question = await Question.create(**values, position=(last.position + 1) if last else 0, using_db=uow.connection)
        await audit.record(uow, by, 'question_added', _target(question), None, _wording(question))
    return question


async def edit_question(by: StaffActor, question_id: int, form: QuestionForm) -> Question:
    """Change the wording or the choices from now on; answers already given keep theirs."""
    require_admin(by)
    values = form.cleaned()
    async with UnitOfWork() as uow:
        question = await _get(uow, question_id)
        before = _wording(question)
        question.update_from_dict(values)
        await question.save(using_db=uow.connection)
        old, new = audit.changes(before, _wording(question))
        if new:
            await audit.record(uow, by, 'question_edited', _target(question), old, new)
    return question


def _wording(question: Question) -> dict:
    """What staff decide about a question, as the audit keeps it."""
    return {
        'prompt': question.prompt,
        'kind': question.kind,
        'choices': list(question.choices),
        'required': question.required,
        'scope': question.scope,
    }


def _target(question: Question) -> str:
    return f'Registration question: {question.prompt}'


async def move_question(by: StaffActor, question_id: int, offset: int) -> None:
    """Move a question up (-1) or down (+1) among the active ones."""
    require_admin(by)
    async with UnitOfWork() as uow:
        ordered = await Question.filter(retired_at=None).order_by('position', 'id').using_db(uow.connection)
        index = next((i for i, q in enumerate(ordered) if q.id == question_id), None)
        if index is None:
            raise NotFound()
        target = max(0, min(len(ordered) - 1, index + offset))
        if target == index:
            return
        moved = ordered.pop(index)
        ordered.insert(target, moved)
        for position, question in enumerate(ordered):
            if question.position != position:
                await Question.filter(id=question.id).using_db(uow.connection).update(position=position)
        # places counted from 1 among the questions asked, as staff see the list
        await audit.record(uow, by, 'question_moved', _target(moved), {'place': index + 1}, {'place': target + 1})


async def retire_question(by: StaffActor, question_id: int) -> None:
    """No longer asked; its answers stay with the families that gave them."""
    require_admin(by)
    async with UnitOfWork() as uow:
        question = await _get(uow, question_id)
        question.retired_at = clock.now()
        await question.save(update_fields=['retired_at'], using_db=uow.connection)
        await audit.record(
            uow, by, 'question_retired', _target(question), {'retired_at': None}, {'retired_at': question.retired_at}
        )


async def _get(uow: UnitOfWork, question_id: int) -> Question:
    question = await Question.get_or_none(id=question_id, retired_at=None, using_db=uow.connection)
    if question is None:
        raise NotFound()
    return question


def clean_answers(clean: Cleaner, prefix: str, questions: list[Question], typed: dict[str, Any]) -> dict[int, Any]:
    """Each answer as it will be stored, keyed by question id; messages go to f'{prefix}{question id}'."""
    values = {}
    for question in questions:
        value = _clean_answer(clean, f'{prefix}{question.id}', question, typed.get(str(question.id)))
        if value is not None:
            values[question.id] = value
    return values


def _clean_answer(clean: Cleaner, field: str, question: Question, raw: Any) -> Any:
    empty = raw is None or raw == '' or raw == []
    if empty:
        if question.required:
            clean.fail(field, REQUIRED)
        return None
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        text = clean.text(field, str(raw), max_length=300 if kind == QuestionKind.SHORT_TEXT else 4000)
        if not text and question.required:
            clean.fail(field, REQUIRED)
        return text or None
    if kind == QuestionKind.YES_NO:
        if raw not in (True, False, 'yes', 'no'):
            clean.fail(field, N_('Choose one of the options'))
            return None
        return raw in (True, 'yes')
    if kind == QuestionKind.SINGLE_CHOICE:
        return clean.choice(field, str(raw), set(question.choices))
    if kind == QuestionKind.MULTIPLE_CHOICE:
        chosen = [raw] if isinstance(raw, str) else list(raw)
        if not set(chosen) <= set(question.choices):
            clean.fail(field, N_('Choose one of the options'))
        return [choice for choice in question.choices if choice in chosen]
    if kind == QuestionKind.DATE:
        try:
            return dt.date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            clean.fail(field, N_('Enter the date as year-month-day'))
            return None
    try:
        number = Decimal(str(raw).strip().replace(',', '.'))
    except InvalidOperation:
        number = Decimal('NaN')
    if not number.is_finite() or abs(number) >= 10**9:
        clean.fail(field, N_('Enter a number, like 3 or 2.5'))
        return None
    return str(number)


async def save_answers(
    uow: UnitOfWork,
    family_id: int,
    participant: Participant | None,
    questions: list[Question],
    values: dict[int, Any],
    now: dt.datetime,
) -> None:
    for question in questions:
        if question.id in values:
            await Answer.create(
                question_id=question.id,
                family_id=family_id,
                participant_id=participant.id if participant else None,
                prompt=question.prompt,
                kind=question.kind,
                value={'answer': values[question.id]},  # a bare string would be read as JSON text
                answered_at=now,
                using_db=uow.connection,
            )


@dataclass(frozen=True)
class GivenAnswer:
    prompt: str
    kind: QuestionKind
    value: Any
    participant_name: str  # empty for a family question


async def family_answers(family_id: int) -> list[GivenAnswer]:
    answers = await Answer.filter(family_id=family_id).prefetch_related('participant').order_by('participant_id', 'id')
    return [
        GivenAnswer(a.prompt, a.kind, (a.value or {}).get('answer'), a.participant.full_name if a.participant else '')
        for a in answers
    ]
