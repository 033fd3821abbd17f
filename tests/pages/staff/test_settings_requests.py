"""An administrator sets how waitlists, drops, transfers and trials work, and a value out of bounds is refused
beside its field."""

from nicegui.testing import User

from domain.models import StaffAuditEntry, StudioSettings
from domain.studio import settings
from tests.pages.helpers import press, staff_signs_in


def field(user: User, marker: str):
    return user.find(marker=marker).elements.pop()


async def test_the_waitlist_drop_and_trial_settings_are_saved_and_shown_again(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/settings')
    await user.should_see('Waitlists, drops and trials')
    assert field(user, 'drop_notice_days').value == 14 and field(user, 'drop_reasons').value == ''
    field(user, 'waitlist_mode').set_value('manual')
    field(user, 'waitlists_per_child').set_value(2)
    field(user, 'offer_hours').set_value(12)
    field(user, 'drop_notice_days').set_value(7)
    field(user, 'drops_approved').set_value(True)
    field(user, 'drop_reasons').set_value('Injury\nToo far')
    field(user, 'transfer_days').set_value(21)
    field(user, 'trials').set_value(False)
    press(user, 'Save')
    await user.should_see('Saved', retries=30)
    row = await StudioSettings.get()
    assert (row.waitlist_mode, row.waitlists_per_child, row.offer_hours, row.drop_notice_days) == ('manual', 2, 12, 7)
    assert (row.drops_approved, row.drop_reasons, row.transfer_days, row.trials) == (True, 'Injury\nToo far', 21, False)
    assert settings.current().drop_reasons == ('Injury', 'Too far')
    entry = await StaffAuditEntry.get(action='settings_changed')
    assert entry.new_values['drop_notice_days'] == 7 and entry.old_values['trials'] is True
    await user.open('/staff/settings')
    assert field(user, 'drop_reasons').value == 'Injury\nToo far' and field(user, 'waitlist_mode').value == 'manual'


async def test_out_of_bounds_counts_and_too_many_reasons_are_refused_beside_their_fields(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/settings')
    field(user, 'offer_hours').set_value(100)
    field(user, 'drop_reasons').set_value('\n'.join(f'Reason {n}' for n in range(13)))
    field(user, 'trials').set_value(False)
    press(user, 'Save')
    await user.should_see('Enter a number of hours from 1 to 72')
    assert field(user, 'drop_reasons').error == 'Enter at most 12 reasons, one per line'
    row = await StudioSettings.get()
    assert (row.offer_hours, row.trials) == (24, True)
