"""Legal policies: versions that never change, agreements that hold up, renewal, requests by email."""

import datetime as dt

import pytest

from domain.access import actors
from domain.access.actors import PermissionDenied
from domain.messages import outbox
from domain.models import Agreement, OutboxMessage, PolicyVersion, PortalEvent
from domain.registration import policies
from domain.registration.policies import Acceptance, PolicyChanged, PolicyForm
from domain.studio import settings
from domain.validation import Cleaner
from tests.factories import make_family, make_staff, signed_in

pytestmark = pytest.mark.usefixtures('database')


async def owner():
    made = await make_staff('owner@example.com', 'Owner', 'admin')
    return actors.StaffActor(made.id, made.name, made.email, made.role)


def signing(versions, name='Holly Ager') -> dict[int, Acceptance]:
    return {v.id: Acceptance(True, name) for v in versions}


async def test_editing_a_policy_adds_a_version_and_the_old_one_never_changes():
    boss = await owner()
    first = await policies.add_policy(boss, PolicyForm('Waiver', 'Version one.'))
    second = await policies.revise_policy(boss, first.policy_id, PolicyForm('Waiver', 'Version two.'))
    same = await policies.revise_policy(boss, first.policy_id, PolicyForm('Waiver', 'Version two.'))
    assert (second.version, same.id) == (2, second.id)
    assert (await PolicyVersion.get(id=first.id)).body == 'Version one.'
    assert [v.body for v in await policies.current_versions()] == ['Version two.']


async def test_the_database_refuses_to_change_or_delete_agreements_and_versions():
    boss = await owner()
    version = await policies.add_policy(boss, PolicyForm('Waiver', 'Words.'))
    made = await make_family('Ager', 'holly@example.com')
    parent = await signed_in('holly@example.com')
    await policies.agree(parent, signing([version]))
    agreement = await Agreement.get(family_id=made.family.id)
    with pytest.raises(Exception, match='permanent'):
        await Agreement.filter(id=agreement.id).update(typed_name='Someone Else')
    with pytest.raises(Exception, match='permanent'):
        await Agreement.filter(family_id=made.family.id).delete()
    with pytest.raises(Exception, match='permanent'):
        await PolicyVersion.filter(id=version.id).update(body='Rewritten')
    with pytest.raises(Exception, match='permanent'):
        await agreement.delete()
    assert (await Agreement.get(id=agreement.id)).typed_name == 'Holly Ager'


async def test_a_parent_must_tick_and_type_their_full_name():
    boss = await owner()
    version = await policies.add_policy(boss, PolicyForm('Waiver', 'Words.'))
    await make_family('Ager', 'holly@example.com')
    parent = await signed_in('holly@example.com')
    with pytest.raises(policies.ValidationFailed) as refused:
        await policies.agree(parent, {version.id: Acceptance(False, 'Holly')})
    assert refused.value.errors == {
        f'policy.{version.id}': policies.TICK_TO_AGREE,
        f'name.{version.id}': policies.TYPE_FULL_NAME,
    }
    assert not await Agreement.exists()
    await policies.agree(parent, {version.id: Acceptance(True, ' holly  ager ')}, user_agent='Firefox')
    agreement = await Agreement.get()
    assert (
        agreement.typed_name,
        agreement.title_shown,
        agreement.text_shown,
        agreement.user_agent,
        agreement.client_ip,
    ) == ('holly ager', 'Waiver', 'Words.', 'Firefox', '203.0.113.9')
    assert await PortalEvent.filter(message='Agreed to Policies: holly ager').exists()
    assert await owed_checked(parent.family_id) == []


async def test_a_signature_is_its_name_in_any_case_spacing_or_way_of_typing_an_accent():
    boss = await owner()
    version = await policies.add_policy(boss, PolicyForm('Waiver', 'Words.'))
    await make_family('Núñez', 'holly@example.com')
    parent = await signed_in('holly@example.com')
    with pytest.raises(policies.ValidationFailed) as refused:  # another name, however close, is still refused
        await policies.agree(parent, {version.id: Acceptance(True, 'Holly Nunez')})
    assert refused.value.errors == {f'name.{version.id}': policies.TYPE_FULL_NAME}
    typed = '  HOLLY \t nu\u0301n\u0303ez '  # a keyboard that sends each accent apart from its letter
    await policies.agree(parent, {version.id: Acceptance(True, typed)})
    agreement = await Agreement.get()
    assert agreement.typed_name == 'HOLLY núñez'  # as typed, spaces collapsed, accents composed
    assert await PortalEvent.filter(message='Agreed to Policies: HOLLY núñez').exists()


async def test_a_new_version_or_an_old_agreement_must_be_agreed_again():
    boss = await owner()
    version = await policies.add_policy(boss, PolicyForm('Waiver', 'Words.'))
    made = await make_family('Ager', 'holly@example.com')
    parent = await signed_in('holly@example.com')
    assert [v.id for v in await owed_checked(made.family.id)] == [version.id]
    await policies.agree(parent, signing([version]))
    newer = await policies.revise_policy(boss, version.policy_id, PolicyForm('Waiver', 'New words.'))
    assert [v.id for v in await owed_checked(made.family.id)] == [newer.id]
    with pytest.raises(PolicyChanged):  # agreeing to what was shown before the change is not enough
        await policies.agree(parent, signing([version]))
    await policies.agree(parent, signing([newer]))
    now = dt.datetime.now(dt.UTC)
    assert await owed_checked(made.family.id, now + dt.timedelta(days=300)) == []
    assert [v.id for v in await owed_checked(made.family.id, now + dt.timedelta(days=370))] == [newer.id]
    await policies.set_renewal_months(boss, 24)
    assert await owed_checked(made.family.id, now + dt.timedelta(days=370)) == []


async def test_retired_policies_are_no_longer_asked_for():
    boss = await owner()
    version = await policies.add_policy(boss, PolicyForm('Waiver', 'Words.'))
    made = await make_family('Ager', 'holly@example.com')
    await policies.retire_policy(boss, version.policy_id)
    assert await owed_checked(made.family.id) == []


async def test_staff_can_never_agree_for_a_parent():
    boss = await owner()
    version = await policies.add_policy(boss, PolicyForm('Waiver', 'Words.'))
    await make_family('Ager', 'holly@example.com')
    with pytest.raises(PermissionDenied):
        await policies.agree(boss, signing([version], 'Owner'))
    assert not await Agreement.exists()


async def test_policy_request_emails_each_family_that_owes_in_its_language():
    boss = await owner()
    version = await policies.add_policy(boss, PolicyForm('Waiver', 'Words.'))
    await make_family('Ager', 'holly@example.com')
    owing = await make_family('Bloom', 'bloom@example.com')
    await owing.parent.__class__.filter(id=owing.parent.id).update(preferred_language='zh_Hans')
    await policies.agree(await signed_in('holly@example.com'), signing([version]))
    assert await policies.send_requests(boss) == 1
    email = await OutboxMessage.get(kind='policy_request')
    assert (email.to_address, email.language) == ('bloom@example.com', 'zh_Hans')
    assert '政策' in email.subject
    assert await PortalEvent.filter(kind='policy_request', family_id=owing.family.id).exists()
    await outbox.deliver_due()


def test_months_before_keeps_the_day_where_the_month_has_it():
    moment = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
    assert policies.months_before(moment, 1) == dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)
    assert policies.months_before(moment, 12) == dt.datetime(2025, 3, 31, 12, tzinfo=dt.UTC)
    assert policies.months_before(moment, 15).month == 12


def test_check_acceptances_reports_each_missing_policy():
    class V:
        def __init__(self, id):
            self.id = id

    clean = Cleaner()
    policies.check_acceptances(clean, [V(1), V(2)], {1: Acceptance(True, 'Ann Lee')}, 'Ann Lee')
    assert clean.errors == {'policy.2': policies.TICK_TO_AGREE, 'name.2': policies.TYPE_FULL_NAME}
    assert settings.current().policy_renewal_months == 12


async def owed_checked(family_id: int, now: dt.datetime | None = None):
    """policies.owed, and the cheap yes/no every page asks (owes_any) agreeing with it."""
    versions = await policies.owed(family_id, now)
    assert await policies.owes_any(family_id, now) == bool(versions)
    return versions
