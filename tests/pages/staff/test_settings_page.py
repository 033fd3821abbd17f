"""An administrator sets the address that heads statements, and resets a colleague's authenticator."""

from nicegui.testing import User

from domain.models import StaffAuditEntry, StaffUser, StudioSettings
from tests.factories import make_staff
from tests.pages.helpers import press, staff_signs_in


async def test_the_studio_address_is_saved_for_statements_with_an_audit_entry(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/settings')
    user.find('Studio address, as it heads statements').type('410 Adams Street\nSpringfield, IL 62701')
    press(user, 'Save')
    await user.should_see('Saved', retries=30)
    assert (await StudioSettings.first()).address == '410 Adams Street\nSpringfield, IL 62701'
    entry = await StaffAuditEntry.get(action='settings_changed')
    assert entry.new_values == {'address': '410 Adams Street\nSpringfield, IL 62701'}


async def test_an_administrator_resets_a_colleagues_authenticator(user: User):
    desk = await make_staff('second@example.com')
    assert (await StaffUser.get(id=desk.id)).totp_confirmed
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/settings')
    [select] = user.find(marker='reset-whose').elements
    select.set_value(desk.id)
    press(user, 'Reset authenticator')
    await user.should_see('They will set up their authenticator again at their next sign-in', retries=30)
    assert not (await StaffUser.get(id=desk.id)).totp_confirmed
    assert await StaffAuditEntry.filter(action='staff_authenticator_reset').exists()
