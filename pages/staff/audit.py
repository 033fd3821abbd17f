"""The staff audit, for administrators: every change staff made, who made it, when, and what it was before."""

from __future__ import annotations

import json
from typing import Any

from nicegui import ui

from components.forms import show_errors, text_field
from components.guards import staff_page
from components.i18n import _, current_language
from components.staff_frame import staff_frame
from domain import audit, i18n
from domain.access.actors import StaffActor
from domain.errors import ValidationFailed
from domain.i18n import N_
from domain.models import StaffAuditEntry, StaffRole
from domain.portal_log import LogFilter
from domain.studio import settings

ACTIONS = {
    'policy_added': N_('Policy added'),
    'policy_revised': N_('Policy revised'),
    'policy_retired': N_('Policy retired'),
    'policy_renewal_changed': N_('Policy renewal changed'),
    'policy_requests_sent': N_('Policy requests sent'),
    'question_added': N_('Question added'),
    'question_edited': N_('Question edited'),
    'question_moved': N_('Question moved'),
    'question_retired': N_('Question retired'),
    'staff_added': N_('Staff member added'),
    'staff_authenticator_reset': N_('Authenticator reset'),
    'contact_role_changed': N_('Contact role changed'),
    'participant_updated': N_('Participant updated'),
    'participant_added': N_('Participant added'),
    'participant_removed': N_('Participant removed'),
    'contact_updated': N_('Contact updated'),
    'contact_added': N_('Contact added'),
    'contact_removed': N_('Contact removed'),
    'location_added': N_('Location added'),
    'location_edited': N_('Location edited'),
    'room_added': N_('Room added'),
    'room_edited': N_('Room edited'),
    'term_added': N_('Term added'),
    'term_edited': N_('Term edited'),
    'category_added': N_('Category added'),
    'category_edited': N_('Category edited'),
    'course_added': N_('Class added'),
    'course_edited': N_('Class edited'),
    'closure_added': N_('Closed date added'),
    'closure_edited': N_('Closed date edited'),
    'portal_access_changed': N_('Portal access changed'),
    'contact_sessions_ended': N_('Sessions ended'),
    'portal_password_reset': N_('Portal password reset'),
    'settings_changed': N_('Settings changed'),
    'ledger_posted': N_('Fee or credit posted'),
    'enrolled_by_staff': N_('Enrolled at the desk'),
    'dropped_by_staff': N_('Dropped at the desk'),
    'tuition_posted': N_('Tuition posted'),
    'event_added': N_('Event added'),
    'event_edited': N_('Event edited'),
    'occurrence_added': N_('Event date added'),
    'occurrence_edited': N_('Event date edited'),
    'event_registration_cancelled': N_('Event registration cancelled'),
    'waitlist_moved': N_('Waitlist reordered'),
    'waitlist_offered': N_('Waitlist place offered'),
    'waitlist_declined': N_('Waitlist place declined for the family'),
    'waitlist_skipped': N_('Waitlist entry skipped'),
    'waitlist_resumed': N_('Waitlist entry resumed'),
    'waitlist_removed': N_('Removed from a waitlist'),
    'waitlist_configured': N_('Waitlist set up'),
    'enrolled_over_capacity': N_('Enrolled over capacity'),
    'request_approved': N_('Request approved'),
    'request_declined': N_('Request declined'),
}
LONGEST_VALUE = 200  # a policy's whole text is kept in the entry; the table shows its beginning


@staff_page('/staff/audit', role=StaffRole.ADMIN, title=N_('Staff audit'))
async def staff_audit_page(staff: StaffActor):
    timezone = settings.current().timezone
    language = current_language()
    cursors: list[audit.Cursor | None] = []  # where each page shown so far began
    state: dict[str, Any] = {'since': None, 'until': None, 'text': '', 'next': None}

    def row(entry: StaffAuditEntry) -> dict:
        return {
            'id': entry.id,
            'when': i18n.format_moment(entry.occurred_at, timezone, language),
            'who': f'{entry.staff_name} ({entry.staff_email})',
            'what': f'{_(ACTIONS[entry.action]) if entry.action in ACTIONS else entry.action}\n{entry.target}',
            'change': describe(entry.old_values, entry.new_values),
        }

    async def load(cursor: audit.Cursor | None) -> None:
        page = await audit.search(state['text'], since=state['since'], until=state['until'], before_cursor=cursor)
        cursors.append(cursor)
        state['next'] = page.cursor if page.has_more else None
        table.rows = [row(entry) for entry in page.entries]
        empty.set_visibility(not page.entries)
        newer.set_enabled(len(cursors) > 1)
        older.set_enabled(state['next'] is not None)

    async def search() -> None:
        dates = {'start': start, 'end': end}
        try:
            criteria = LogFilter.typed(start.value, end.value, text.value, timezone)
        except ValidationFailed as failure:
            show_errors(dates, failure.errors)
            return
        show_errors(dates, {})
        state['since'], state['until'] = criteria.bounds()
        state['text'] = criteria.text
        cursors.clear()
        await load(None)

    async def show_older() -> None:
        if state['next']:
            await load(state['next'])

    async def show_newer() -> None:
        if len(cursors) > 1:
            cursors.pop()
            await load(cursors.pop())

    with staff_frame(_('Staff audit'), staff):
        with ui.row().classes('items-end gap-2 w-full'):
            start = text_field(_('From'), kind='date').classes(remove='w-full', add='w-40')
            end = text_field(_('To'), kind='date').classes(remove='w-full', add='w-40')
            text = text_field(_('Search')).classes(remove='w-full', add='w-64')
            text.on('keydown.enter', search)
            ui.button(_('Search'), icon='search', on_click=search).props('unelevated color=primary')
        columns = [  # values as text, never as markup; a line break shown as one
            {'name': name, 'label': label, 'field': name, 'align': 'left', 'style': 'white-space: pre-line'}
            for name, label in (
                ('when', _('Date/Time')),
                ('who', _('Staff member')),
                ('what', _('What')),
                ('change', _('Before → after')),
            )
        ]
        table = (
            ui.table(columns=columns, rows=[], row_key='id', pagination=0)
            .props('flat bordered dense wrap-cells hide-pagination')
            .classes('w-full')
        )
        empty = ui.label(_('No changes found')).classes('text-gray-700')
        with ui.row().classes('items-center gap-2'):
            newer = ui.button(_('Newer'), icon='chevron_left', on_click=show_newer).props('flat')
            older = ui.button(_('Older'), icon='chevron_right', on_click=show_older).props('flat')
    await load(None)


def describe(old: dict | None, new: dict | None) -> str:
    """One line per value that changed, `name: before → after` (the value alone when it is new), by name."""
    old, new = old or {}, new or {}
    lines = []
    for key in sorted({*old, *new}):  # PostgreSQL keeps JSON keys in an order of its own
        after = _shown(new[key]) if key in new else '—'
        lines.append(f'{key}: {_shown(old[key])} → {after}' if key in old else f'{key}: {after}')
    return '\n'.join(lines)


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + '…'
