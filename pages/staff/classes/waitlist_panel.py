"""A class's waitlist on its staff page: the class's mode and switches, the free seats, and the children in line
with what staff do to each (move up or down, offer now, decline an offer for the family, skip or resume, remove,
enrol over the capacity)."""

from __future__ import annotations

from collections.abc import Awaitable

from nicegui import ui

from components.forms import confirm_dialog, saved
from components.frame import heading
from components.i18n import _, current_language, moment
from domain.access.actors import StaffActor
from domain.classes import waitlists
from domain.classes.enrolment import ClassFull, NotEligible
from domain.classes.waitlists import OfferGone, StaffWaitlistLine, TooLateToOffer
from domain.errors import NotFound, ValidationFailed
from domain.i18n import N_
from domain.models import Course, WaitlistMode, WaitlistStatus
from domain.studio import settings

MODE_NAMES = {  # what happens when a place opens; the studio's Settings offer the same words
    WaitlistMode.AUTO_OFFER: N_('Offer it to the next child in line'),
    WaitlistMode.AUTO_ENROL: N_('Enrol the next child whose family asked for it, else offer it'),
    WaitlistMode.MANUAL: N_('Staff choose whom to offer it to'),
}
GONE = N_('This child is no longer waiting. The list is up to date again.')
FAMILY_CELL = r"""
<q-td :props="props">
  <a class="kr-link" :href="props.row.family_url">{{ props.row.family }}</a>
</q-td>
"""
ACTIONS_CELL = r"""
<q-td :props="props">
  <div class="row items-center" style="gap: 0.25rem">
    <q-btn flat dense round color="primary" icon="arrow_upward" :aria-label="props.row.labels.up"
           @click="() => $parent.$emit('up', props.row)" />
    <q-btn flat dense round color="primary" icon="arrow_downward" :aria-label="props.row.labels.down"
           @click="() => $parent.$emit('down', props.row)" />
    <q-btn v-if="props.row.waiting" flat dense no-caps color="primary" :label="props.row.labels.offer"
           @click="() => $parent.$emit('offer', props.row)" />
    <q-btn v-if="props.row.waiting && !props.row.held_back" flat dense no-caps color="primary"
           :label="props.row.labels.skip" @click="() => $parent.$emit('skip', props.row)" />
    <q-btn v-if="props.row.held_back" flat dense no-caps color="primary" :label="props.row.labels.resume"
           @click="() => $parent.$emit('resume', props.row)" />
    <q-btn v-if="props.row.offered" flat dense no-caps color="primary" :label="props.row.labels.decline"
           @click="() => $parent.$emit('decline', props.row)" />
    <q-btn flat dense no-caps color="primary" :label="props.row.labels.over"
           @click="() => $parent.$emit('over', props.row)" />
    <q-btn flat dense no-caps color="negative" :label="props.row.labels.remove"
           @click="() => $parent.$emit('remove', props.row)" />
  </div>
</q-td>
"""


def mode_options() -> dict[str, str]:
    studio_mode = _(MODE_NAMES[settings.current().waitlist_mode])
    own = {mode.value: _(name) for mode, name in MODE_NAMES.items()}
    return {'': _("The studio's default ({mode})").format(mode=studio_mode)} | own


def reasons_said(refused: NotEligible) -> str:
    language = current_language()
    return '; '.join(reason.text(language) for reasons in refused.reasons.values() for reason in reasons)


async def waitlist_panel(staff: StaffActor, course: Course) -> WaitlistPanel:
    panel = WaitlistPanel(staff, course)
    with panel.column:
        await panel.entries()
    return panel


class WaitlistPanel:
    """The Waitlist section of a class's page (not for instructors: the desk decides the line)."""

    def __init__(self, staff: StaffActor, course: Course) -> None:
        self.staff, self.course_id = staff, course.id
        self.lines: dict[int, StaffWaitlistLine] = {}
        self.chosen: StaffWaitlistLine | None = None
        with ui.column().classes('w-full gap-2').mark('waitlist-panel') as self.column:
            heading(_('Waitlist'), 2)
            self._settings(course)
            self._dialogs()

    def _settings(self, course: Course) -> None:
        self.mode = (
            ui.select(mode_options(), value=course.waitlist_mode or '', label=_('When a place opens'))
            .props('outlined dense')
            .classes('w-full max-w-2xl')
            .mark('waitlist-mode')
        )
        self.open = ui.switch(_('Takes a waitlist'), value=course.waitlist_open).mark('waitlist-open')
        self.released = ui.switch(_('Free seats go to whoever enrols first'), value=course.free_seats_released)
        self.released.mark('seats-released')
        for control in (self.mode, self.open, self.released):
            control.on_value_change(self._configure)

    async def _configure(self) -> None:
        try:
            await waitlists.configure_class(
                self.staff,
                self.course_id,
                mode=self.mode.value or '',
                waitlist_open=bool(self.open.value),
                released=bool(self.released.value),
            )
        except ValidationFailed as failure:
            ui.notify(_(next(iter(failure.errors.values()))), type='warning')
            return
        saved()
        self.entries.refresh()

    def _dialogs(self) -> None:
        with ui.dialog() as self.skipping, ui.card().classes('w-full max-w-sm').mark('skip-dialog'):
            self.skip_question = ui.label('').classes('break-words')
            self.skip_reason = ui.input(_('Reason (staff only)')).props('outlined dense').classes('w-full')
            self.skip_reason.mark('skip-reason')
            with ui.row().classes('w-full justify-end gap-2 wrap'):
                ui.button(_('Cancel'), on_click=self.skipping.close).props('flat no-caps')
                ui.button(_('Skip'), on_click=self._skip).props('unelevated no-caps color=primary')
        with ui.dialog() as self.enrolling, ui.card().classes('w-full max-w-sm').mark('over-dialog'):
            self.over_question = ui.label('').classes('break-words')
            self.over_reason = ui.input(_('Reason')).props('outlined dense').classes('w-full').mark('over-reason')
            self.over_refused = ui.label('').classes('text-negative text-sm break-words').mark('over-refused')
            self.over_refused.props['role'] = 'alert'
            with ui.row().classes('w-full justify-end gap-2 wrap'):
                ui.button(_('Cancel'), on_click=self.enrolling.close).props('flat no-caps')
                ui.button(_('Enrol over capacity'), on_click=self._enrol_over).props('unelevated no-caps color=primary')
        self.removing = confirm_dialog('', _('Remove from the waitlist'), self._remove, danger=True, marker='remove')
        self.declining = confirm_dialog('', _('Decline the offer'), self._decline, danger=True, marker='decline')

    @ui.refreshable_method
    async def entries(self) -> None:
        shown = await waitlists.class_waitlist(self.staff, self.course_id)
        self.lines = {line.entry_id: line for line in shown.lines}
        ui.label(_('Free seats: {count}').format(count=shown.free)).mark('free-seats')
        if not shown.lines:
            ui.label(_('No child is waiting for this class.'))
            return
        columns = [
            {'name': name, 'label': label, 'field': name, 'align': 'left'}
            for name, label in (
                ('place', _('Place')),
                ('child', _('Child')),
                ('family', _('Family')),
                ('joined', _('Joined')),
                ('status', _('Status')),
                ('reason', _('Held back because')),
                ('actions', _('Actions')),
            )
        ]
        table = (
            ui.table(columns=columns, rows=[self._row(line) for line in shown.lines], row_key='id')
            .props('flat bordered dense wrap-cells')
            .classes('w-full')
            .mark('waitlist')
        )
        table.add_slot('body-cell-family', FAMILY_CELL)
        table.add_slot('body-cell-actions', ACTIONS_CELL)
        table.on('up', lambda e: self._act(waitlists.move(self.staff, e.args['id'], up=True)))
        table.on('down', lambda e: self._act(waitlists.move(self.staff, e.args['id'], up=False)))
        table.on('offer', lambda e: self._offer(e.args['id']))
        table.on('resume', lambda e: self._act(waitlists.hold_back(self.staff, e.args['id'], held=False)))
        table.on('skip', lambda e: self._ask_skip(e.args['id']))
        table.on('over', lambda e: self._ask_over(e.args['id']))
        table.on('remove', lambda e: self._ask_remove(e.args['id']))
        table.on('decline', lambda e: self._ask_decline(e.args['id']))

    def _row(self, line: StaffWaitlistLine) -> dict:
        if line.status == WaitlistStatus.OFFERED and line.offer_expires_at:
            status = _('Offered until {moment}').format(moment=moment(line.offer_expires_at))
        elif line.held_back:
            status = _('Skipped')
        elif line.auto_enrol:
            status = _('Waiting, to be enrolled automatically')
        else:
            status = _('Waiting')
        return {
            'id': line.entry_id,
            'place': line.position,
            'child': line.child,
            'family': line.family,
            'family_url': f'/staff/families/{line.family_id}',
            'joined': moment(line.joined_at),
            'status': status,
            'reason': line.held_back_reason,
            'waiting': line.status == WaitlistStatus.WAITING,
            'offered': line.status == WaitlistStatus.OFFERED,
            'held_back': line.held_back,
            'labels': {
                'up': _('Move {child} up').format(child=line.child),
                'down': _('Move {child} down').format(child=line.child),
                'offer': _('Offer now'),
                'skip': _('Skip'),
                'resume': _('Resume'),
                'decline': _('Decline for the family'),
                'over': _('Enrol over capacity'),
                'remove': _('Remove'),
            },
        }

    async def _act(self, action: Awaitable[object], done: str = '') -> bool:
        """One service call for a row; a refusal is said, and the line read again."""
        try:
            await action
        except NotEligible as refused:
            ui.notify(reasons_said(refused), type='warning', multi_line=True)
            return False
        except ClassFull:
            ui.notify(_('No seat is free: enrol over the capacity instead'), type='warning')
            return False
        except TooLateToOffer:
            ui.notify(_(TooLateToOffer.MESSAGE), type='warning')
            return False
        except (OfferGone, NotFound):
            ui.notify(_(GONE), type='warning')
            self.entries.refresh()
            return False
        if done:
            ui.notify(done, type='positive')
        self.entries.refresh()
        return True

    async def _offer(self, entry_id: int) -> None:
        child = self.lines[entry_id].child if entry_id in self.lines else ''
        await self._act(waitlists.offer_now(self.staff, entry_id), _('Offered to {child}').format(child=child))

    def _choose(self, entry_id: int) -> StaffWaitlistLine | None:
        self.chosen = self.lines.get(entry_id)
        return self.chosen

    def _ask_skip(self, entry_id: int) -> None:
        if line := self._choose(entry_id):
            question = _('Skip {child} for offers until you resume them? Their place in line is kept.')
            self.skip_question.text = question.format(child=line.child)
            self.skip_reason.value = ''
            self.skipping.open()

    async def _skip(self) -> None:
        if self.chosen is None:
            return
        action = waitlists.hold_back(self.staff, self.chosen.entry_id, held=True, reason=self.skip_reason.value or '')
        self.skipping.close()
        await self._act(action)

    def _ask_remove(self, entry_id: int) -> None:
        if line := self._choose(entry_id):
            question = _('Take {child} off the waitlist for this class? The family is told.')
            self.removing.question.text = question.format(child=line.child)  # type: ignore[attr-defined]
            self.removing.open()

    async def _remove(self) -> None:
        self.removing.close()
        if self.chosen is not None:
            done = _('Removed from the waitlist: {child}').format(child=self.chosen.child)
            await self._act(waitlists.remove(self.staff, self.chosen.entry_id), done)

    def _ask_decline(self, entry_id: int) -> None:
        if line := self._choose(entry_id):
            question = _(
                'Decline the place kept for {child}, as the family asked? They are told; the seat is free again.'
            )
            self.declining.question.text = question.format(child=line.child)  # type: ignore[attr-defined]
            self.declining.open()

    async def _decline(self) -> None:
        self.declining.close()
        if self.chosen is not None:
            done = _('Offer declined for the family: {child}').format(child=self.chosen.child)
            await self._act(waitlists.decline_for_family(self.staff, self.chosen.entry_id), done)

    def _ask_over(self, entry_id: int) -> None:
        if line := self._choose(entry_id):
            self.over_question.text = _('Enrol {child} although the class is full? Say why.').format(child=line.child)
            self.over_reason.value, self.over_reason.error, self.over_refused.text = '', None, ''
            self.enrolling.open()

    async def _enrol_over(self) -> None:
        if self.chosen is None:
            return
        self.over_reason.error, self.over_refused.text = None, ''
        try:
            await waitlists.enrol_over_capacity(self.staff, self.chosen.entry_id, self.over_reason.value or '')
        except ValidationFailed as failure:
            self.over_reason.error = _(next(iter(failure.errors.values())))
            return
        except NotEligible as refused:
            self.over_refused.text = reasons_said(refused)
            return
        except (OfferGone, NotFound):
            self.over_refused.text = _(GONE)
            self.entries.refresh()
            return
        self.enrolling.close()
        ui.notify(_('Enrolled over the capacity: {child}').format(child=self.chosen.child), type='positive')
        self.entries.refresh()
