"""The parent's dashboard: tiles (Participants, Classes and events, You, Contacts, Payments) a thumb can reach
on a phone, as many as their role in the family lets them see."""

from __future__ import annotations

from nicegui import ui

from components.frame import heading, portal_frame
from components.guards import parent_page
from components.i18n import _, day, moment, money, ngettext, time_of_day, weekday_day
from components.tiles import tile
from domain.access.actors import Actor
from domain.classes import waitlists
from domain.classes.schedule import NextUp, next_up
from domain.family.dashboard import dashboard
from domain.photos.photos import family_thumbnails
from pages.portal.news.on_dashboard import news_on_dashboard


@parent_page('/portal')
async def dashboard_page(actor: Actor):
    board = await dashboard(actor)
    coming = await next_up(actor)
    kept = await waitlists.kept_places(actor)
    photos = await family_thumbnails(actor)

    with portal_frame(_('Hello, {name}').format(name=board.me.first_name), actor):
        for place in kept:  # first, before anything else: a place kept for a while, then given to the next child
            title = _('A place in {course} is kept for {child}').format(course=place.course, child=place.child)
            until = _('Accept it by {moment}').format(moment=moment(place.until))
            tile(title, until, waitlists.PAGE, icon='priority_high', emphasis=True)
        await news_on_dashboard(actor)  # closed days ahead, then the posts not read yet
        heading(_('Participants'), 2)
        for participant in board.participants:
            tile(
                participant.full_name,
                day(participant.birthdate),
                f'/portal/participants/{participant.id}',
                icon='child_care',
                image=photos.get(participant.id),
            )
        if not board.participants:
            ui.label(_('No participants yet.')).classes('text-gray-700')
        if board.standing.manages_children:
            tile(_('Add a child'), _('A brother or sister joining the studio'), '/portal/participants/new', icon='add')

        heading(_('Classes and events'), 2)
        tile(_('My schedule'), _coming_up(coming), '/portal/schedule', icon='today')
        credits = board.makeup_credits
        tile(
            _('Absences and makeups'), _makeups(credits), '/portal/absences', icon='event_busy', emphasis=bool(credits)
        )
        tile(_('Classes'), _('Find a class and enrol'), '/portal/classes', icon='school')
        tile(_('Events'), _('Workshops, camps and parties'), '/portal/events', icon='event')
        tile(_('Class resources'), _('Files and links from your classes'), '/portal/resources', icon='folder')

        heading(_('You'), 2)
        tile(board.me.full_name, board.me.email or '', '/portal/you', icon='person')
        tile(_('Password and devices'), '', '/portal/security', icon='lock')

        if board.standing.sees_contacts:
            heading(_('Contacts'), 2)
            summary = ', '.join(c.full_name for c in board.others) or _('No other contacts yet')
            tile(_('Guardians, pick-up and emergency contacts'), summary, '/portal/contacts', icon='groups')

        heading(_('Messages'), 2)
        tile(_('Emails and texts from the studio'), '', '/portal/messages', icon='mail')
        tile(_('Our policies'), '', '/portal/policies', icon='gavel')

        if board.balance is not None:  # a guardian without billing, a pickup or emergency contact: no payments
            heading(_('Payments'), 2)
            label = _('Balance due') if board.balance >= 0 else _('Credit on account')
            tile(label, money(abs(board.balance)), '/portal/payments', icon='payments', emphasis=True)


def _makeups(credits: int) -> str:
    """Credits ready to book, when there are: a credit left unbooked is a class paid for and lost at its expiry."""
    if credits:  # short, the verb first: the tile's big line is cut after two lines on a phone
        return ngettext('Book {count} makeup', 'Book {count} makeups', credits).format(count=credits)
    return _('Report an absence, book a makeup')


def _coming_up(soonest: NextUp | None) -> str:
    """The family's next class or event, whoever's it is: what a parent opens the portal to check."""
    if soonest is None:
        return _('Classes and events, and a calendar for your phone')
    when = f'{weekday_day(soonest.date)}, {time_of_day(soonest.start)}'
    if soonest.who:
        return _('Next: {who}, {what} · {when}').format(who=', '.join(soonest.who), what=soonest.what, when=when)
    return _('Next: {what} · {when}').format(what=soonest.what, when=when)
