"""The staff's queue of children's photos waiting for review (when the studio reviews photos), oldest first:
each new photo beside the one shown now, Approve, or Reject with a reason the parent is emailed."""

from __future__ import annotations

from nicegui import ui

from components.forms import show_errors
from components.guards import staff_page
from components.i18n import _, moment
from components.staff_frame import staff_frame
from domain.access.actors import StaffActor
from domain.errors import NotFound, ValidationFailed
from domain.i18n import N_
from domain.photos import photos
from domain.photos.photos import AlreadyReviewed, PendingPhoto
from domain.studio import settings
from pages.portal.photos.child_photo import photo_or_initials

PAGE = '/staff/photos'


@staff_page(PAGE, title=N_('Photos'))
async def photos_page(staff: StaffActor):
    with staff_frame(_('Photos'), staff):
        if not settings.current().photo_review:
            ui.label(_('The studio does not review photos: a photo shows as soon as a parent adds it.')).classes(
                'text-sm text-gray-700'
            )
        queue = ui.column().classes('w-full gap-3').mark('photo-queue')

    async def show_queue() -> None:
        waiting = await photos.pending_photos(staff)
        queue.clear()
        with queue:
            if not waiting:
                ui.label(_('No photos are waiting for review.'))
            for photo in waiting:
                one_photo(photo)

    def one_photo(photo: PendingPhoto) -> None:
        with ui.card().classes('w-full max-w-xl gap-2').props('flat bordered').mark(f'photo-{photo.photo_id}'):
            ui.link(f'{photo.child_name} ({photo.family_name})', f'/staff/families/{photo.family_id}').classes(
                'kr-link font-medium'
            )
            ui.label(
                _('Uploaded {when} by {who}').format(when=moment(photo.uploaded_at), who=photo.uploaded_by)
            ).classes('text-sm text-gray-700')
            with ui.row().classes('items-center gap-4'):
                with ui.column().classes('items-center gap-1'):
                    photo_or_initials(photo.image_url, photo.child_name, 160)
                    ui.label(_('New photo')).classes('text-sm')
                with ui.column().classes('items-center gap-1'):
                    photo_or_initials(photo.current_url, photo.child_name, 96)
                    ui.label(_('Shown now')).classes('text-sm')
            reason = ui.textarea(_('Reason (emailed to the parent if you reject)')).props('outlined').classes('w-full')
            with ui.row().classes('gap-2'):
                ui.button(_('Approve'), on_click=lambda: decide(photo, None)).props('unelevated color=primary')
                ui.button(_('Reject'), on_click=lambda: decide(photo, reason)).props('outline color=negative')

    async def decide(photo: PendingPhoto, reason: ui.textarea | None) -> None:
        try:
            if reason is None:
                await photos.approve(staff, photo.photo_id)
            else:
                await photos.reject(staff, photo.photo_id, reason.value or '')
        except ValidationFailed as failure:
            if reason is not None:
                show_errors({photos.REASON_FIELD: reason}, failure.errors)
            return
        except (AlreadyReviewed, NotFound):
            ui.notify(_(AlreadyReviewed.MESSAGE), type='warning')
        else:
            ui.notify(_('Photo approved') if reason is None else _('Photo rejected'), type='positive')
        await show_queue()

    await show_queue()
