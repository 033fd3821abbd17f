"""The Classes screen's "Ask to enrol", for a class whose enrolments the studio decides: choose the child, add a
note if you like, and the request waits in the studio's queue; it shows on the requests page too."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.frame import heading
from components.i18n import _
from domain.access.actors import Actor
from domain.classes import requests
from domain.classes.browsing import ClassOffer
from domain.classes.enrolment import NotEligible
from domain.classes.requests import NotByRequest, RequestPending
from domain.errors import NotFound, ValidationFailed
from pages.portal.classes.requests import PAGE, refusal


def ask_button(actor: Actor, offer: ClassOffer, names: dict[int, str], asked: list[int]) -> None:
    """ "Ask to enrol" on the card, for the children who may ask. Its dialog is built on the first tap, not with
    every card; once a child is asked for, the next tap asks afresh for the children left."""
    able = [kid for kid in asked if offer.may_ask(kid)]
    if not able:
        return
    built: list[ui.dialog] = []
    answered: list[bool] = []

    def open_dialog() -> None:
        if built and answered:
            built.pop().delete()
            answered.clear()
        if not built:
            built.append(_ask_dialog(actor, offer, names, able, on_sent))
        built[0].open()

    def on_sent(child_id: int) -> None:
        able.remove(child_id)
        answered.append(True)
        button.set_visibility(bool(able))

    button = ui.button(_('Ask to enrol'), on_click=open_dialog).props('unelevated no-caps color=primary')
    button.classes('w-full').mark(f'ask-{offer.line.course.id}')


def _ask_dialog(
    actor: Actor, offer: ClassOffer, names: dict[int, str], able: list[int], on_sent: Callable[[int], None]
) -> ui.dialog:
    course = offer.line.course
    with ui.dialog() as dialog, ui.card().classes('w-full max-w-sm').mark(f'ask-dialog-{course.id}'):
        heading(_('Ask to enrol in {course}').format(course=course.name), 2)
        with ui.column().classes('w-full gap-2') as body:
            child = ui.radio({kid: names[kid] for kid in able}, value=able[0]).mark('ask-child')
            child.props['aria-label'] = _('Child')
            note = ui.textarea(_('Note for the studio')).props('outlined autogrow')
            note.classes('w-full').mark('ask-note')
            refused = ui.label('').classes('text-negative text-sm break-words').mark('ask-refused')
            refused.props['role'] = 'alert'

            async def send() -> None:
                chosen = int(child.value)
                try:
                    await requests.request_enrolment(actor, chosen, course.id, note.value or '')
                except ValidationFailed as failure:
                    refused.text = _(next(iter(failure.errors.values())))
                    return
                except NotByRequest:
                    refused.text = _(NotByRequest.MESSAGE)
                    return
                except (NotEligible, RequestPending, NotFound) as failure:
                    refused.text = refusal(failure)
                    return
                on_sent(chosen)
                body.clear()
                with body:
                    ui.label(_('Sent: the studio will answer by email')).classes('font-medium break-words').mark(
                        'ask-sent'
                    )
                    ui.link(_('See your requests'), PAGE).classes('kr-link')
                    ui.button(_('Close'), on_click=dialog.close).props('flat no-caps color=primary')

            with ui.row().classes('w-full justify-end gap-2 wrap'):
                ui.button(_('Cancel'), on_click=dialog.close).props('flat no-caps color=primary')
                ui.button(_('Send the request'), on_click=send).props('unelevated no-caps color=primary').mark(
                    'ask-send'
                )
    return dialog
