"""The studio's waitlist, drop, transfer and trial settings: kept within their bounds, refused beside their fields."""

import pytest

from domain.access.actors import PermissionDenied, StaffActor
from domain.classes import requests
from domain.errors import ValidationFailed
from domain.models import StaffAuditEntry, StaffRole, WaitlistMode
from domain.studio import settings
from tests.factories import make_staff

pytestmark = pytest.mark.usefixtures('database')

BASICS = {'sign_in_methods': 'both', 'message_retention_days': 365}


async def staff(role: str = 'admin') -> StaffActor:
    made = await make_staff(f'{role}@example.com', role.title(), role)
    return StaffActor(made.id, made.name, made.email, StaffRole(role))


async def test_the_settings_are_saved_audited_and_the_reasons_read_one_per_line():
    owner = await staff()
    studio = await settings.update_settings(
        owner,
        **BASICS,
        waitlists=False,
        waitlist_mode='manual',
        waitlists_per_child=5,
        waitlist_days=0,
        offer_hours=12,
        waitlist_position_shown=False,
        drop_notice_days=7,
        drops_approved=True,
        drop_reasons='  Injury \n\n Too   far\nInjury\n',
        transfer_days=21,
        trials=False,
    )
    assert (studio.waitlists, studio.waitlist_mode, studio.waitlists_per_child, studio.waitlist_days) == (
        False,
        WaitlistMode.MANUAL,
        5,
        0,
    )
    assert (studio.offer_hours, studio.waitlist_position_shown, studio.drop_notice_days, studio.transfer_days) == (
        12,
        False,
        7,
        21,
    )
    assert studio.drops_approved and not studio.trials
    assert requests.drop_reasons() == ('Injury', 'Too far')  # blank lines, spaces and a repeat left out
    entry = await StaffAuditEntry.get(action='settings_changed')
    assert entry.new_values['drop_reasons'] == 'Injury\nToo far' and entry.old_values['drop_notice_days'] == 14
    await settings.update_settings(owner, **BASICS, drop_reasons='')
    assert requests.drop_reasons() == requests.USUAL_REASONS


@pytest.mark.parametrize(
    ('typed', 'field'),
    [
        ({'waitlists_per_child': 0}, 'waitlists_per_child'),
        ({'waitlist_days': 366}, 'waitlist_days'),
        ({'offer_hours': 0}, 'offer_hours'),
        ({'drop_notice_days': -1}, 'drop_notice_days'),
        ({'transfer_days': 91}, 'transfer_days'),
        ({'waitlist_mode': 'first_come'}, 'waitlist_mode'),
        ({'drop_reasons': '\n'.join(f'Reason {n}' for n in range(13))}, 'drop_reasons'),
        ({'drop_reasons': 'x' * 81}, 'drop_reasons'),
    ],
)
async def test_out_of_bounds_values_are_refused_beside_their_field_and_nothing_is_saved(typed, field):
    owner = await staff()
    with pytest.raises(ValidationFailed) as refused:
        await settings.update_settings(owner, **BASICS, trials=False, **typed)
    assert list(refused.value.errors) == [field]
    assert settings.current().trials is True
    assert not await StaffAuditEntry.filter(action='settings_changed').exists()


async def test_only_an_administrator_changes_them():
    desk = await staff('front_desk')
    with pytest.raises(PermissionDenied):
        await settings.update_settings(desk, **BASICS, trials=False)
