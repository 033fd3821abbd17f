"""The family's balance and the fees and payments behind it."""

from __future__ import annotations

from nicegui import ui

from components import session
from components.frame import heading, portal_frame
from components.i18n import _, day, money
from domain.access import Actor
from domain.billing import account_summary
from domain.models import LedgerKind


def kind_label(kind: LedgerKind) -> str:
    return {LedgerKind.FEE: _('Fee'), LedgerKind.PAYMENT: _('Payment'), LedgerKind.CREDIT: _('Credit'),
            LedgerKind.REFUND: _('Refund')}[kind]


@ui.page('/portal/payments')
async def payments_page():
    actor = await session.require_parent()
    if not isinstance(actor, Actor):
        return actor
    account = await account_summary(actor.family_id, recent=20)

    with portal_frame(_('Payments'), actor, back='/portal'):
        with ui.card().classes('w-full'):
            ui.label(_('Balance due') if account.balance >= 0 else _('Credit on account')).classes('text-gray-700')
            ui.label(money(abs(account.balance))).classes('text-3xl font-bold')
            ui.label(_('Online payments are coming soon. Until then, please pay at the front desk.')) \
                .classes('text-sm text-gray-700')
        heading(_('Recent activity'), 2)
        if not account.recent:
            ui.label(_('Nothing posted to your account yet.')).classes('text-gray-700')
        with ui.list().props('separator').classes('w-full bg-white rounded'):
            for line in account.recent:
                with ui.item():
                    with ui.item_section():
                        ui.item_label(line.description)
                        ui.item_label(f'{day(line.posted_at)} · {kind_label(line.kind)}').props('caption')
                    with ui.item_section().props('side'):
                        ui.item_label(money(line.effect)).classes('font-medium text-black')
