"""A child's photo on their page: the photo (or their initials), and for a guardian "Add a photo" or "Change
photo", which opens the phone's camera or library. The studio's photo consent comes first when it asks for one;
a photo waiting for the studio's review says so; a refused file is named beside the upload."""

from __future__ import annotations

from nicegui import events, ui

from components.consent import PolicyConsent
from components.forms import bring_into_view
from components.i18n import _
from components.uploads import pick_button
from domain.access.actors import Actor, NotYourRole
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.files import inspection
from domain.files.inspection import MB, TOO_BIG
from domain.models import Participant
from domain.photos import photos
from domain.registration.policies import TICK_TO_AGREE

SIDE = 128  # as large as the thumbnail, which is shown at twice its size on a phone's screen


def photo_or_initials(url: str | None, name: str, side: int = SIDE) -> ui.element:
    """A round picture of the child, or their initials in a circle when there is no photo yet."""
    shape = f'width:{side}px;height:{side}px;border-radius:50%;flex-shrink:0'
    if url:
        picture = ui.element('img').style(shape + ';object-fit:cover')
        picture.props['src'] = url
        picture.props['alt'] = _('Photo of {name}').format(name=name)
        return picture
    initials = ''.join(part[0] for part in name.split()[:2]).upper()
    circle = ui.label(initials).style(
        shape + f';display:flex;align-items:center;justify-content:center;'
        f'background:#e5e7eb;color:#374151;font-size:{side // 3}px;font-weight:600'
    )
    circle.props['aria-hidden'] = 'true'
    return circle


async def child_photo_section(actor: Actor, child: Participant) -> None:
    """The photo part of the child's page, rebuilt in place after an upload."""
    area = ui.column().classes('w-full items-center gap-2').mark('child-photo')

    async def build() -> None:
        try:
            view = await photos.child_photo(actor, child.id)
        except NotFound:
            area.clear()
            return
        area.clear()
        with area:
            photo_or_initials(view.image_url, child.full_name)
            if view.pending:
                ui.label(_("A new photo is waiting for the studio's review.")).classes('text-sm text-gray-700').props(
                    'role=status'
                ).mark('photo-pending')
            if view.refused_because:
                refused = _('The studio did not accept the last photo you sent: {reason}')
                ui.label(refused.format(reason=view.refused_because)).classes('text-sm text-negative').props(
                    'role=status'
                ).mark('photo-refused')
            if view.may_change:
                changer(view)

    def changer(view: photos.ChildPhoto) -> None:
        changing = bool(view.image_url or view.pending)
        opener = (
            ui.button(_('Change photo') if changing else _('Add a photo'), icon='edit' if changing else 'add')
            .props('outline no-caps color=primary')
            .mark('photo-open')
        )
        panel = ui.column().classes('w-full gap-2')
        panel.set_visibility(False)
        with panel:
            consent = PolicyConsent(view.consent, {}, level=2) if view.consent else None
            upload = ui.upload(
                label=_('Choose a photo'),
                auto_upload=True,
                max_file_size=10 * MB,
                max_files=1,
                on_upload=lambda e: received(e, consent, upload, error),
                on_rejected=lambda: show(error, upload, _(TOO_BIG[10 * MB])),
            ).mark('photo-upload')
            upload.props['accept'] = 'image/*'  # a phone offers its camera or its library
            pick_button(upload, _('Choose a photo'), icon='photo_camera').mark('photo-choose')
            ui.label(_('JPEG, PNG, WebP or HEIC, up to 10 MB.')).classes('text-sm text-gray-700')
            error = ui.label('').classes('text-negative text-sm').props('role=alert').mark('photo-error')
            error.set_visibility(False)

        def open_panel() -> None:
            panel.set_visibility(True)
            opener.set_visibility(False)

        opener.on_click(open_panel)

    def show(error: ui.label, upload: ui.upload, message: str) -> None:
        error.text = message
        error.set_visibility(bool(message))
        upload.reset()
        if message:
            bring_into_view(error)

    async def received(
        event: events.UploadEventArguments, consent: PolicyConsent | None, upload: ui.upload, error: ui.label
    ) -> None:
        typed: str | None = None
        if consent is not None:
            consent.show_errors(None, None)
            if not consent.given.get('accepted'):
                consent.show_errors(_(TICK_TO_AGREE), None)
                show(error, upload, _(TICK_TO_AGREE))
                return
            typed = consent.given.get('typed_name', '')
        try:
            data = await inspection.read_within('photo', event.file, 10 * inspection.MB)
            await photos.upload_photo(actor, child.id, data, consent_typed_name=typed)
        except ValidationFailed as failure:
            if consent is not None and photos.CONSENT_FIELD in failure.errors:
                consent.show_errors(None, _(failure.errors[photos.CONSENT_FIELD]))
            show(error, upload, _(next(iter(failure.errors.values()))))
            return
        except (NotFound, NotYourRole):
            ui.navigate.reload()
            return
        except DomainError as refused:
            show(error, upload, _(refused.message))
            return
        ui.notify(_('Photo saved'), type='positive')
        await build()

    await build()
