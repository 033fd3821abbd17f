"""What the studio owner decides: how parents sign in, how long message history is kept, how enrolling works,
the rules for absences and makeups, who is staff; and posting a month's tuition."""

from __future__ import annotations

import datetime as dt

from nicegui import ui

from components.forms import confirm_dialog, save_button, saved, show_errors, text_field
from components.frame import heading
from components.guards import staff_page
from components.i18n import _, money, month_of, ngettext
from components.staff_frame import staff_frame
from domain.absences.rules import AbsenceRules, CreditRule, ExpiryRule, MakeupScope, NoticeRule
from domain.access import staff_accounts as staff_accounts
from domain.access.actors import StaffActor
from domain.access.staff_accounts import StaffForm
from domain.classes import tuition
from domain.classes.requests import USUAL_REASONS
from domain.errors import ValidationFailed
from domain.i18n import N_
from domain.models import OpeningsShown, StaffRole
from domain.studio import settings
from pages.staff.classes.waitlist_panel import MODE_NAMES
from pages.staff.settings_sharing import sharing_section

OPENINGS_SHOWN = {
    OpeningsShown.NUMBER: N_('The number: “4 places left”'),
    OpeningsShown.STATUS: N_('Only Open, Few places left or Full, without the number'),
}
# the absence rules' choices stay short: a select shows the one chosen on one line, on a phone too
CREDIT_RULES = {
    CreditRule.NEVER: N_('Never'),
    CreditRule.ALWAYS: N_('Always'),
    CreditRule.IN_TIME: N_('When reported in time'),
    CreditRule.STAFF: N_('Staff decide each time'),
}
NOTICE_RULES = {
    NoticeRule.HOURS: N_('Hours before the class'),
    NoticeRule.DAY_BEFORE: N_('By 23:59 the day before'),
}
EXPIRY_RULES = {
    ExpiryRule.NONE: N_('Never'),
    ExpiryRule.DAYS: N_('After a number of days'),
    ExpiryRule.WEEKS: N_('After a number of weeks'),
    ExpiryRule.MONTHS: N_('After a number of months'),
    ExpiryRule.TERM_END: N_('At the end of the session'),
}
EXPIRY_COUNTS = {  # the count's own label, as the expiry chosen reads
    ExpiryRule.DAYS: N_('Days after the missed class'),
    ExpiryRule.WEEKS: N_('Weeks after the missed class'),
    ExpiryRule.MONTHS: N_('Months after the missed class'),
}
MAKEUP_SCOPES = {
    MakeupScope.SAME_TYPE: N_('A class of the same type'),
    MakeupScope.SAME_LEVEL: N_('A class of the same level'),
    MakeupScope.ANY: N_('Any class for their age'),
}
MONTHS_BACK, MONTHS_AHEAD = 12, 2  # the months tuition may be posted for, around this one


@staff_page('/staff/settings', role=StaffRole.ADMIN, title=N_('Settings'))
async def settings_page(staff: StaffActor):
    studio = settings.current()
    colleagues = await staff_accounts.list_staff()

    async def save_settings() -> None:
        checked = {
            'message_retention_days': retention,
            'card_fee_percent': fee,
            'address': address,
            'hold_minutes': hold,
            'openings_shown': openings,
            'few_left_at': few_left,
            'registration_fee': registration_fee,
            'waitlist_mode': waitlist_mode,
            'waitlists_per_child': per_child,
            'waitlist_days': waitlist_days,
            'offer_hours': offer_hours,
            'drop_notice_days': notice_days,
            'drop_reasons': drop_reasons,
            'transfer_days': transfer_days,
        }
        try:
            await settings.update_settings(
                staff,
                sign_in_methods=methods.value,
                message_retention_days=int(retention.value or 0),
                allow_prepay=bool(prepay.value),
                card_fee_percent=fee.value or '0',
                address=address.value or '',
                hold_minutes=int(hold.value or 0),
                openings_shown=openings.value or '',
                few_left_at=int(few_left.value or 0),
                registration_fee=registration_fee.value or '0',
                email_instructor=bool(email_instructor.value),
                monthly_tuition=bool(monthly.value),
                pay_at_checkout=bool(pay_first.value),
                waitlists=bool(waitlists.value),
                waitlist_mode=waitlist_mode.value or '',
                waitlists_per_child=int(per_child.value or 0),
                waitlist_days=int(waitlist_days.value or 0),
                offer_hours=int(offer_hours.value or 0),
                waitlist_position_shown=bool(position_shown.value),
                drop_notice_days=int(notice_days.value or 0),
                drops_approved=bool(drops_approved.value),
                drop_reasons=drop_reasons.value or '',
                transfer_days=int(transfer_days.value or 0),
                trials=bool(trials.value),
            )
        except ValidationFailed as failure:
            show_errors(checked, failure.errors)
            return
        show_errors(checked, {})
        ui.notify(_('Saved'), type='positive')

    async def preview_tuition() -> None:
        """Say what posting would post, and ask, before a single family's account changes."""
        first = dt.date.fromisoformat(month.value)
        preview = await tuition.preview_tuition(staff, first)
        if not preview.posted:
            posted.text = _('Nothing new to post for {month}').format(month=month_of(first))
            return
        confirm.question.text = ngettext(
            'Post {count} fee ({total}) for {month}? Families see it on their accounts at once.',
            'Post {count} fees ({total}) for {month}? Families see them on their accounts at once.',
            preview.posted,
        ).format(count=preview.posted, total=money(preview.total), month=month_of(first))
        confirm.open()

    async def post_tuition() -> None:
        confirm.close()
        first = dt.date.fromisoformat(month.value)
        run = await tuition.post_tuition(staff, first)
        if run.posted:
            posted.text = ngettext('Posted {count} fee ({total})', 'Posted {count} fees ({total})', run.posted).format(
                count=run.posted, total=money(run.total)
            )
        else:
            posted.text = _('Nothing new to post for {month}').format(month=month_of(first))

    async def add() -> None:
        form = StaffForm(
            fields['email'].value or '', fields['name'].value or '', role.value, fields['password'].value or ''
        )
        try:
            await staff_accounts.add_staff(staff, form)
        except ValidationFailed as failure:
            show_errors(fields, failure.errors)
            return
        ui.navigate.reload()

    with staff_frame(_('Settings'), staff):
        heading(_('Parent sign-in'), 2)
        methods = ui.radio(
            {'both': _('One-time code or password'), 'codes': _('One-time code only'), 'password': _('Password only')},
            value=studio.sign_in_methods.value,
        )
        retention = (
            ui.number(
                _('Keep sent emails and texts for (days)'),
                value=studio.message_retention_days,
                min=1,
                max=3650,
                precision=0,
            )
            .props('outlined')
            .classes('w-72 max-w-full')
        )
        heading(_('Payments'), 2)
        prepay = ui.checkbox(_('Parents may pay more than their balance (prepay)'), value=studio.allow_prepay)
        fee = text_field(_('Card fee added to online payments (%)'), str(studio.card_fee_percent)).classes(
            remove='w-full', add='w-72 max-w-full'
        )
        heading(_('Statements'), 2)
        address = (
            ui.textarea(_('Studio address, as it heads statements'), value=studio.address)
            .props('outlined autogrow')
            .classes('w-96 max-w-full')
        )
        heading(_('Enrolment'), 2)
        hold = whole_number(_('Hold places during checkout for (minutes)'), studio.hold_minutes).mark('hold_minutes')
        openings = (
            ui.select(
                {shown.value: _(label) for shown, label in OPENINGS_SHOWN.items()},
                value=studio.openings_shown.value,
                label=_('Places left shown as'),
            )
            .props('outlined')
            .classes('w-96 max-w-full')
            .mark('openings_shown')
        )
        few_left = whole_number(_('“Few places left” from'), studio.few_left_at).mark('few_left_at')
        with_hint(few_left, _('This many places down, when parents see Open, Few places left or Full'))
        registration_fee = (
            text_field(_('Registration fee'), str(studio.registration_fee))
            .classes(remove='w-full', add='w-72 max-w-full')
            .mark('registration_fee')
        )
        registration_fee.props['inputmode'] = 'decimal'
        with_hint(
            registration_fee,
            _('Once per family and session, at the first enrolment in a class marked with it; 0 for none'),
        )
        email_instructor = ui.switch(
            _("Email the class's first instructor at each enrolment"), value=studio.email_instructor
        ).mark('email_instructor')
        pay_first = ui.switch(
            _('Take payment at enrolment in classes: the checkout charges a card on file before it enrols'),
            value=studio.pay_at_checkout,
        ).mark('pay_at_checkout')
        monthly = ui.switch(
            _("Post each month's tuition by itself on the month's first day"), value=studio.monthly_tuition
        ).mark('monthly_tuition')
        heading(_('Waitlists, drops and trials'), 2)
        waitlists = ui.switch(_('A full class takes a waitlist'), value=studio.waitlists).mark('waitlists')
        waitlist_mode = (
            ui.select(
                {mode.value: _(label) for mode, label in MODE_NAMES.items()},
                value=studio.waitlist_mode.value,
                label=_('When a place opens'),
            )
            .props('outlined')
            .classes('w-full max-w-xl')
            .mark('waitlist_mode')
        )
        with_hint(waitlist_mode, _('For classes without their own choice on their page'))
        per_child = whole_number(_('Waitlists one child may be on'), studio.waitlists_per_child).mark(
            'waitlists_per_child'
        )
        waitlist_days = whole_number(_('A place in line lasts (days)'), studio.waitlist_days).mark('waitlist_days')
        with_hint(waitlist_days, _('0: until the class ends'))
        offer_hours = whole_number(_('An offered place is kept for (hours)'), studio.offer_hours).mark('offer_hours')
        with_hint(offer_hours, _('Shorter when the class starts sooner; no offer in its last 2 hours'))
        position_shown = ui.switch(_('Parents see their place in line'), value=studio.waitlist_position_shown).mark(
            'waitlist_position_shown'
        )
        notice_days = whole_number(_('Notice for a drop (days)'), studio.drop_notice_days).mark('drop_notice_days')
        drops_approved = ui.switch(
            _('Approve drops at once, without staff deciding'), value=studio.drops_approved
        ).mark('drops_approved')
        drop_reasons = (
            ui.textarea(_('Reasons for a drop, one per line'), value='\n'.join(studio.drop_reasons))
            .props('outlined autogrow')
            .classes('w-96 max-w-full')
            .mark('drop_reasons')
        )
        with_hint(
            drop_reasons,
            _('Leave empty for the usual ones: {reasons}').format(
                reasons=', '.join(_(reason) for reason in USUAL_REASONS)
            ),
        )
        transfer_days = whole_number(_('A transfer may start within (days)'), studio.transfer_days).mark(
            'transfer_days'
        )
        with_hint(transfer_days, _('Or within the new class’s next two meetings, when that is later'))
        trials = ui.switch(_('Families may request a trial'), value=studio.trials).mark('trials')
        ui.button(_('Save'), on_click=save_settings).props('unelevated color=primary')

        absence_rules_section(staff, studio.absences)
        await sharing_section(staff)  # photos, news and the logo

        heading(_('Tuition'), 2)
        ui.label(
            _(
                'Posts a month of tuition to the families of the classes charged per month or per meeting. '
                'A fee posted already, at enrolment or by an earlier run, is not posted again.'
            )
        ).classes('max-w-xl')
        this_month = settings.today().replace(day=1)
        month = (
            ui.select(
                {first.isoformat(): month_of(first) for first in _months_around(this_month)},
                value=this_month.isoformat(),
                label=_('Month'),
            )
            .props('outlined')
            .classes('w-72 max-w-full')
            .mark('tuition_month')
        )
        ui.button(_('Post tuition'), on_click=preview_tuition).props('unelevated color=primary')
        confirm = confirm_dialog('', _('Post the fees'), post_tuition, marker='confirm-tuition')
        posted = ui.label('').props('role=status').mark('tuition_posted')

        heading(_('Staff accounts'), 2)
        columns = [
            {'name': c, 'label': label, 'field': c, 'align': 'left'}
            for c, label in (('name', _('Name')), ('email', _('Email')), ('role', _('Role')))
        ]
        role_names = {
            StaffRole.ADMIN: _('Administrator'),
            StaffRole.FRONT_DESK: _('Front desk'),
            StaffRole.INSTRUCTOR: _('Instructor'),
        }
        ui.table(
            columns=columns,
            rows=[{'id': c.id, 'name': c.name, 'email': c.email, 'role': role_names[c.role]} for c in colleagues],
            row_key='id',
        ).props('flat bordered dense').classes('max-w-full')  # wider than a phone, it scrolls by itself
        with ui.card().classes('w-96 max-w-full'):
            ui.label(_('Add a staff member')).classes('font-semibold')
            fields = {
                'name': text_field(_('Name')),
                'email': text_field(_('Email'), kind='email'),
                'password': text_field(_('First password'), kind='password'),
            }
            role = ui.radio({r.value: role_names[r] for r in StaffRole}, value=StaffRole.FRONT_DESK.value)
            ui.button(_('Add'), on_click=add).props('unelevated color=primary')

        async def reset() -> None:
            if whose.value is None:
                whose.error = _('Choose a staff member')
                return
            await staff_accounts.reset_authenticator(staff, int(whose.value))
            whose.error = None
            ui.notify(_('They will set up their authenticator again at their next sign-in'), type='positive')

        with ui.card().classes('w-96 max-w-full'):
            ui.label(_('Reset authenticator')).classes('font-semibold')
            ui.label(_('After a lost phone: a new authenticator key, shown at their next sign-in with their password.'))
            whose = (
                ui.select({c.id: c.name for c in colleagues}, label=_('Staff member'))
                .props('outlined')
                .classes('w-full')
                .mark('reset-whose')
            )
            ui.button(_('Reset authenticator'), on_click=reset).props('outline no-caps color=primary')


def absence_rules_section(staff: StaffActor, rules: AbsenceRules) -> None:
    """Absences and makeups, saved by their own button: a count that only one choice uses shows with that choice,
    and is only sent while it shows."""

    def choice(names: dict, value: str, label: str, marker: str, hint: str = '') -> ui.select:
        options = {key.value: _(name) for key, name in names.items()}
        field = ui.select(options, value=value, label=label).props('outlined').classes('w-full').mark(marker)
        if hint:
            with_hint(field, hint)
        return field

    def count(label: str, value: int, marker: str, hint: str = '') -> ui.number:
        field = whole_number(label, value).classes(remove='w-96 max-w-full', add='w-full').mark(marker)
        if hint:
            with_hint(field, hint)
        return field

    def follow_choices() -> None:
        notice_hours.set_visibility(notice.value == NoticeRule.HOURS.value)
        counted = EXPIRY_COUNTS.get(ExpiryRule(expiry.value)) if expiry.value else None
        expiry_count.set_visibility(counted is not None)
        if counted is not None:
            expiry_count.props['label'] = _(counted)

    async def save() -> None:
        shown = {name: field for name, field in fields.items() if field.visible}
        values = {name: _typed(field.value) for name, field in shown.items()}
        try:
            await settings.update_absence_rules(staff, **values)
        except ValidationFailed as failure:
            show_errors(shown, failure.errors)
            return
        show_errors(fields, {})
        saved()

    heading(_('Absences and makeups'), 2)
    with ui.column().classes('w-full max-w-xl gap-2').mark('absence-rules'):
        reported = ui.switch(_('Parents may report absences in the portal'), value=rules.reported)
        credit = choice(
            CREDIT_RULES,
            rules.credit.value,
            _('Makeup credit'),
            'absence_credit',
            _('When an absence a parent reports earns one'),
        )
        notice = choice(NOTICE_RULES, rules.notice.value, _('Reported in time means'), 'absence_notice')
        notice_hours = count(
            _('Hours of notice'), rules.notice_hours, 'absence_notice_hours', _('Before the class starts')
        )
        ahead_days = count(_('Reporting opens'), rules.ahead_days, 'absence_ahead_days', _('Days before the class'))
        expiry = choice(EXPIRY_RULES, rules.expiry.value, _('A makeup credit expires'), 'absence_expiry')
        expiry_count = count('', rules.expiry_count, 'absence_expiry_count')
        per_enrolment = count(
            _('Credits a child may hold'),
            rules.per_enrolment,
            'absence_per_enrolment',
            _('From one class at a time, unused or booked; past that, a missed class earns none'),
        )
        scope = choice(
            MAKEUP_SCOPES,
            rules.scope.value,
            _('A makeup may be taken in'),
            'absence_scope',
            _('Same type: a Ballet class for a Ballet class'),
        )
        makeup_ahead_days = count(
            _('Booking opens'), rules.makeup_ahead_days, 'absence_makeup_ahead_days', _('Days before the class')
        )
        cutoff_hours = count(
            _('Booking closes'), rules.cutoff_hours, 'absence_cutoff_hours', _('Hours before the class starts')
        )
        cancel_hours = count(
            _('Credit back on cancelling'),
            rules.cancel_hours,
            'absence_cancel_hours',
            _('Up to these hours before the class; cancelled later, the credit is used'),
        )
        extra_seats = count(
            _('Extra makeup seats'),
            rules.extra_seats,
            'absence_extra_seats',
            _('Per class, beyond its capacity; 0: makeups only fill real vacancies'),
        )
        closure_credits = ui.switch(
            _('A studio closure gives every child enrolled a makeup credit'), value=rules.closure_credits
        )
        fields = {
            'reported': reported.mark('absence_reported'),
            'credit': credit,
            'notice': notice,
            'notice_hours': notice_hours,
            'ahead_days': ahead_days,
            'expiry': expiry,
            'expiry_count': expiry_count,
            'per_enrolment': per_enrolment,
            'scope': scope,
            'makeup_ahead_days': makeup_ahead_days,
            'cutoff_hours': cutoff_hours,
            'cancel_hours': cancel_hours,
            'extra_seats': extra_seats,
            'closure_credits': closure_credits.mark('absence_closure_credits'),
        }
        notice.on_value_change(follow_choices)
        expiry.on_value_change(follow_choices)
        follow_choices()
        save_button(save, _('Save the absence rules'))


def _typed(value: object) -> object:
    """A number field's 3.0 as the count 3; anything else (nothing typed, 2.5) as it is, for the rules to refuse."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def with_hint(field: ui.element, hint: str) -> None:
    """A hint under a field that takes the lines it needs (Quasar's own keeps one, and a second runs into the next
    field on a phone)."""
    field.props['hint'] = hint
    field.props['hide-bottom-space'] = True


def whole_number(label: str, value: int) -> ui.number:
    """A count typed by hand: one out of range is refused with its message, not changed silently."""
    return ui.number(label, value=value, precision=0).props('outlined').classes('w-96 max-w-full')


def _months_around(this_month: dt.date) -> list[dt.date]:
    """The first days of the months from MONTHS_BACK before this one to MONTHS_AHEAD after it, newest first."""
    index = this_month.year * 12 + this_month.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index + MONTHS_AHEAD, index - MONTHS_BACK - 1, -1)]
