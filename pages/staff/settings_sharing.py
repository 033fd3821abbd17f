"""The settings of what the studio shares (issue 18): whether staff review children's photos before they show,
the policy parents agree to before uploading one, whether news reads go to the Parent Portal Log, and the
studio's logo. Inserted into the settings page, for administrators."""

from __future__ import annotations

from html import escape

from nicegui import events, ui

from components.forms import save_button, saved, show_errors
from components.frame import heading
from components.i18n import _
from components.uploads import pick_button
from domain.access.actors import StaffActor
from domain.errors import DomainError, ValidationFailed
from domain.files import inspection
from domain.files.inspection import MB, TOO_BIG
from domain.photos import logo
from domain.registration import policies
from domain.studio import settings

NO_CONSENT = 0  # the select's "no consent asked" (a select's value cannot be None and still be chosen)


async def sharing_section(staff: StaffActor) -> None:
    studio = settings.current()
    consent_options = {NO_CONSENT: _('No photo consent asked')} | {
        version.policy_id: version.title  # type: ignore[attr-defined]
        for version in await policies.current_versions()
    }

    async def save() -> None:
        chosen = consent.value or NO_CONSENT
        try:
            await settings.update_sharing(
                staff,
                photo_review=bool(review.value),
                photo_consent_policy_id=None if chosen == NO_CONSENT else int(chosen),
                news_read_log=bool(read_log.value),
            )
        except ValidationFailed as failure:
            show_errors({'photo_consent_policy_id': consent}, failure.errors)
            return
        except DomainError as refused:
            ui.notify(_(refused.message), type='warning')
            return
        show_errors({'photo_consent_policy_id': consent}, {})
        saved()

    heading(_('Photos and news'), 2)
    with ui.column().classes('w-full max-w-xl gap-2').mark('sharing'):
        review = ui.switch(_("Staff review a child's photo before it shows"), value=studio.photo_review).mark(
            'photo_review'
        )
        consent = (
            ui.select(
                consent_options,
                value=studio.photo_consent_policy_id
                if studio.photo_consent_policy_id in consent_options
                else NO_CONSENT,
                label=_('Policy agreed to before uploading a photo'),
            )
            .props('outlined')
            .classes('w-full')
            .mark('photo_consent_policy_id')
        )
        ui.label(
            _('Mark that policy “asked at checkout” so that it is asked only here, not at every sign-in.')
        ).classes('text-sm text-gray-700')
        read_log = ui.switch(
            _('Record in the Parent Portal Log each news post a parent opens'), value=studio.news_read_log
        ).mark('news_read_log')
        save_button(save, _('Save the photo and news settings'))

    heading(_('Logo'), 2)
    with ui.column().classes('w-full max-w-xl gap-2').mark('logo-settings'):
        shown = ui.html('', sanitize=False).mark('logo-shown')
        error = ui.label('').classes('text-negative text-sm').props('role=alert').mark('logo-error')
        error.set_visibility(False)

        def show_logo() -> None:
            url = logo.logo_url()
            alt = escape(_('The studio’s logo'))
            shown.content = (
                f'<img src="{escape(url)}" alt="{alt}" height="64" style="height:64px">'
                if url
                else escape(_('No logo yet.'))
            )
            remove.set_visibility(url is not None)

        def fail(message: str) -> None:
            error.text = message
            error.set_visibility(bool(message))

        async def received(event: events.UploadEventArguments) -> None:
            try:
                await logo.set_logo(staff, await inspection.read_within('logo', event.file, 10 * inspection.MB))
            except ValidationFailed as failure:
                fail(_(next(iter(failure.errors.values()))))
                upload.reset()
                return
            except DomainError as refused:
                fail(_(refused.message))
                upload.reset()
                return
            fail('')
            upload.reset()
            show_logo()
            saved()

        async def remove_logo() -> None:
            await logo.remove_logo(staff)
            show_logo()
            saved()

        upload = ui.upload(
            label=_('Upload a logo (PNG, JPEG or WebP)'),
            auto_upload=True,
            max_file_size=10 * MB,
            max_files=1,
            on_upload=received,
            on_rejected=lambda: fail(_(TOO_BIG[10 * MB])),
        ).mark('logo-upload')
        upload.props['accept'] = 'image/png,image/jpeg,image/webp'
        pick_button(upload, _('Upload a logo (PNG, JPEG or WebP)'), icon='image')
        remove = ui.button(_('Remove the logo'), on_click=remove_logo).props('outline color=negative')
        show_logo()
