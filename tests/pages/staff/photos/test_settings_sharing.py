"""The settings section, on a page of its own here until the lead puts it into the settings page."""

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from domain.access.actors import StaffActor
from domain.models import Policy, StaffAuditEntry
from domain.registration import policies
from domain.registration.policies import PolicyForm
from domain.studio import settings
from pages.staff.settings_sharing import sharing_section
from tests.domain.photos import making
from tests.factories import make_staff
from tests.pages.helpers import press


async def open_section(user: User) -> StaffActor:
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    owner = StaffActor(made.id, made.name, made.email, made.role)

    @ui.page('/test/sharing')
    async def sharing_page():
        await sharing_section(owner)

    await user.open('/test/sharing')
    return owner


async def test_an_administrator_turns_on_review_and_chooses_the_consent(user: User):
    version = await policies.add_policy(
        await make_staff_actor(), PolicyForm('Photo consent', 'Staff may see the photo.')
    )
    await Policy.filter(id=version.policy_id).update(at_checkout=True)
    await open_section(user)
    user.find(marker='photo_review').click()
    user.find(marker='photo_consent_policy_id').elements.pop().value = version.policy_id
    press(user, 'Save the photo and news settings')
    await user.should_see('Saved', retries=30)
    studio = settings.current()
    assert studio.photo_review and studio.photo_consent_policy_id == version.policy_id


async def test_an_administrator_uploads_and_removes_the_logo(user: User):
    await open_section(user)
    await user.should_see('No logo yet.')
    upload = user.find(marker='logo-upload').elements.pop()
    await upload.handle_uploads([SmallFileUpload('logo.pdf', 'image/png', b'%PDF-1.7\n' + b'0' * 100)])
    await user.should_see('Use a PNG, JPEG or WebP image for the logo.', retries=30)
    await upload.handle_uploads([SmallFileUpload('logo.png', 'image/png', making.png(400, 400))])
    await user.should_not_see('No logo yet.', retries=30)
    assert settings.current().logo_file_id is not None
    press(user, 'Remove the logo')
    await user.should_see('No logo yet.', retries=30)
    assert settings.current().logo_file_id is None
    assert await StaffAuditEntry.filter(action__in=('logo_changed', 'logo_removed')).count() == 2


async def make_staff_actor() -> StaffActor:
    made = await make_staff('policy@example.com', 'Pat Policy', 'admin')
    return StaffActor(made.id, made.name, made.email, made.role)
