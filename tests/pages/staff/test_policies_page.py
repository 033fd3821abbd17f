"""The staff policies page counts the families it asked in words that agree with the count."""

from nicegui.testing import User

from domain.access import actors
from domain.registration import policies
from domain.registration.policies import PolicyForm
from tests.factories import make_family, make_staff
from tests.pages.helpers import press, staff_signs_in


async def test_sending_policy_requests_counts_one_family_or_several(user: User):
    made = await make_staff('boss@example.com', 'Boss', 'admin')
    await policies.add_policy(
        actors.StaffActor(made.id, made.name, made.email, made.role), PolicyForm('Waiver', 'Words.')
    )
    await make_family('Ager', 'holly@example.com')
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/policies')
    press(user, 'Send policy request')
    await user.should_see('Policy request sent to 1 family', retries=30)
    await make_family('Gunnar', 'deanne@example.com')
    press(user, 'Send policy request')
    await user.should_see('Policy request sent to 2 families', retries=30)
