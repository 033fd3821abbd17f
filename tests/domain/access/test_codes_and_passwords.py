import asyncio
import contextlib
import datetime as dt
import re

import pytest

from domain import validation
from domain.access import actors, codes, passwords, sessions, sign_in
from domain.access.codes import CodeRejected, NotAllowed, SignedIn, TooMany, TooSoon, Verified
from domain.access.passwords import ResetLinkInvalid, WrongCurrentPassword
from domain.errors import SignInFailed, ValidationFailed
from domain.messages import outbox
from domain.models import AccessCode, Channel, Contact, FamilyStatus, OutboxMessage, PortalEvent, StaffRole
from domain.validation import HIDDEN_CHARACTERS
from tests.factories import PASSWORD, code_from, make_family, signed_in

pytestmark = pytest.mark.usefixtures('database')


async def add_mobile(contact, number='+13125550141'):
    await Contact.filter(id=contact.id).update(mobile_phone=number)


async def backdate_codes(seconds: int) -> None:
    for code in await AccessCode.all():
        await AccessCode.filter(id=code.id).update(
            created_at=code.created_at - dt.timedelta(seconds=seconds),
            expires_at=code.expires_at - dt.timedelta(seconds=seconds),
        )


async def test_a_known_mobile_gets_a_code_by_text_that_signs_in(delivered):
    made = await make_family('Ager', 'holly@example.com')
    await add_mobile(made.parent)
    sent = await codes.send_code('(312) 555-0141', client_ip='203.0.113.9')
    assert sent.channel == Channel.SMS and sent.destination == '+13125550141'
    code = await code_from(delivered)
    assert delivered[1].sent[0][0] == '+13125550141'
    outcome = await codes.enter_code(sent.attempt_id, code)
    assert isinstance(outcome, SignedIn) and outcome.actor.contact_id == made.parent.id
    assert (await sessions.resolve_parent(outcome.token)).family_id == made.family.id
    assert (await Contact.get(id=made.parent.id)).login_count == 1
    logged = [(e.kind, e.user_id, e.family_name) for e in await PortalEvent.all().order_by('id')]
    assert logged == [('code_sent', '+13125550141', 'Ager'), ('login_success', '+13125550141', 'Ager')]


async def test_codes_are_stored_only_as_keyed_hashes(delivered):
    await make_family('Ager', 'holly@example.com')
    await codes.send_code('holly@example.com')
    code = await code_from(delivered)
    stored = await AccessCode.first()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert code not in (await OutboxMessage.first()).body_text


async def test_known_and_unknown_addresses_get_the_same_answer(delivered):
    await make_family('Ager', 'holly@example.com')
    known = await codes.send_code('holly@example.com')
    unknown = await codes.send_code('stranger@example.com')
    assert type(known) is type(unknown) and known.channel == unknown.channel
    assert len(delivered[0].sent) == 0  # both queued alike
    await outbox.deliver_due()
    assert [m.to_address for m in delivered[0].sent] == ['holly@example.com', 'stranger@example.com']
    assert delivered[0].sent[0].subject == delivered[0].sent[1].subject


async def test_an_unknown_number_is_verified_for_registration_not_signed_in(delivered):
    sent = await codes.send_code('+1 312 555 0199')
    outcome = await codes.enter_code(sent.attempt_id, await code_from(delivered))
    assert isinstance(outcome, Verified) and (outcome.destination, outcome.channel) == ('+13125550199', Channel.SMS)
    assert await sessions.resolve_parent(outcome.registration_token) is None  # a draft's token is no session


async def test_a_code_works_once_and_only_for_its_own_attempt(delivered):
    await make_family('Ager', 'holly@example.com')
    first = await codes.send_code('holly@example.com')
    code = await code_from(delivered)
    with pytest.raises(CodeRejected):
        await codes.enter_code('another-attempt', code)
    await codes.enter_code(first.attempt_id, code)
    with pytest.raises(CodeRejected):
        await codes.enter_code(first.attempt_id, code)


async def test_the_code_of_one_attempt_does_not_open_another(delivered):
    await make_family('Ager', 'holly@example.com')
    first = await codes.send_code('holly@example.com')
    first_code = await code_from(delivered)
    await backdate_codes(61)
    second = await codes.send_code('holly@example.com')
    second_code = await code_from(delivered)
    if first_code != second_code:
        with pytest.raises(CodeRejected):
            await codes.enter_code(second.attempt_id, first_code)
    assert isinstance(await codes.enter_code(first.attempt_id, first_code), SignedIn)


async def test_five_wrong_entries_end_the_code(delivered):
    await make_family('Ager', 'holly@example.com')
    sent = await codes.send_code('holly@example.com')
    code = await code_from(delivered)
    wrong = f'{(int(code) + 1) % 10**6:06d}'
    for _ in range(5):
        with pytest.raises(CodeRejected):
            await codes.enter_code(sent.attempt_id, wrong)
    with pytest.raises(CodeRejected):
        await codes.enter_code(sent.attempt_id, code)  # even the right one, now
    assert await PortalEvent.filter(kind='code_failed').count() == 6


async def test_concurrent_guesses_are_all_counted(delivered):
    await make_family('Ager', 'holly@example.com')
    sent = await codes.send_code('holly@example.com')
    code = await code_from(delivered)

    async def guess(n):
        with contextlib.suppress(CodeRejected):
            await codes.enter_code(sent.attempt_id, f'{(int(code) + n) % 10**6:06d}')

    await asyncio.gather(*(guess(n) for n in range(1, 8)))
    assert (await AccessCode.first()).wrong_entries >= 5
    with pytest.raises(CodeRejected):
        await codes.enter_code(sent.attempt_id, code)


async def test_a_code_expires_after_ten_minutes(delivered):
    await make_family('Ager', 'holly@example.com')
    sent = await codes.send_code('holly@example.com')
    code = await code_from(delivered)
    await backdate_codes(601)
    with pytest.raises(CodeRejected):
        await codes.enter_code(sent.attempt_id, code)


async def test_resend_waits_a_minute_and_five_an_hour_is_the_most(delivered):
    await codes.send_code('holly@example.com')
    with pytest.raises(TooSoon):
        await codes.send_code('holly@example.com')
    for _ in range(4):
        await backdate_codes(61)
        await codes.send_code('HOLLY@example.com')
    await backdate_codes(61)
    with pytest.raises(TooMany):
        await codes.send_code('holly@example.com')
    assert await AccessCode.all().count() == 5


async def test_one_address_cannot_ask_for_codes_for_the_whole_world(delivered):
    for n in range(codes.MAX_CODES_PER_IP_PER_HOUR):
        await codes.send_code(f'person{n}@example.com', client_ip='198.51.100.7')
    with pytest.raises(TooMany):
        await codes.send_code('one-more@example.com', client_ip='198.51.100.7')
    await codes.send_code('one-more@example.com', client_ip='198.51.100.8')


async def test_bad_destinations_are_refused_beside_the_field(delivered):
    for typed in ('', 'not a number', 'someone@', '12'):
        with pytest.raises(ValidationFailed) as refused:
            await codes.send_code(typed)
        assert 'destination' in refused.value.errors
    assert not await AccessCode.exists()


LONG_EMAIL = 'a' * 900_000 + '@example.com'


async def test_an_over_long_destination_is_refused_as_any_bad_one_before_it_is_read(delivered, monkeypatch):
    read = []
    real = validation.validate_email
    monkeypatch.setattr(validation, 'validate_email', lambda value, **kw: read.append(len(value)) or real(value, **kw))
    with pytest.raises(ValidationFailed) as refused:
        await codes.send_code(LONG_EMAIL, client_ip='203.0.113.9')
    assert refused.value.errors == {'destination': 'Enter a valid email address, like name@example.com'}
    assert read == []  # a quarter of a second of the event loop, for everyone, when it was
    with pytest.raises(ValidationFailed) as refused:
        await codes.send_code('3' * 900_000)
    assert refused.value.errors == {'destination': 'Enter a valid phone number, with the area code'}
    assert not await AccessCode.exists() and not await OutboxMessage.exists()


async def test_an_entry_that_cannot_be_encoded_is_a_wrong_code(delivered):
    await make_family('Ager', 'holly@example.com')
    sent = await codes.send_code('holly@example.com')
    code = await code_from(delivered)
    with pytest.raises(CodeRejected):
        await codes.enter_code(sent.attempt_id, '12345\ud800')  # half a surrogate pair: it has no UTF-8
    assert (await AccessCode.get()).wrong_entries == 1
    assert isinstance(await codes.enter_code(sent.attempt_id, code), SignedIn)


async def test_a_lead_family_proves_the_address_but_cannot_enter(delivered):
    await make_family('Lopez', 'rosa@example.com', status=FamilyStatus.LEAD)
    sent = await codes.send_code('rosa@example.com')
    with pytest.raises(NotAllowed):
        await codes.enter_code(sent.attempt_id, await code_from(delivered))


@pytest.mark.parametrize(
    'password, ok',
    [
        ('short1!', False),
        ('password1', False),
        ('iloveyou', False),
        ('aaaaaaaaaaaa', False),
        ('correct horse battery', True),
        ('x' * 7 + 'Q9#kLm', True),
        ('Plié-and-pirouette ' * 3 + 'ok', True),
        ('a' * 129, False),
    ],
)
def test_password_rules_are_length_and_commonness(password, ok):
    if ok:
        passwords.check_new_password(password)
    else:
        with pytest.raises(ValidationFailed):
            passwords.check_new_password(password)


def test_a_64_character_password_is_accepted():
    passwords.check_new_password('my daughter started ballet in september and loves it so much!!'[:64].ljust(64, '!'))


async def reset_link(delivered) -> str:
    await outbox.deliver_due()
    return re.search(r'/reset/(\S+)', delivered[0].sent[-1].text).group(1)


async def test_forgot_password_link_resets_unlocks_and_ends_other_sessions(delivered):
    made = await make_family('Brown', 'gabby@example.com')
    old_token, _ = await sign_in.sign_in_parent('gabby@example.com', PASSWORD)
    await Contact.filter(id=made.parent.id).update(locked=True, failed_attempts=5)
    await passwords.request_reset('gabby@example.com')
    token = await reset_link(delivered)
    signed = await passwords.reset_with_link(token, 'tumbling mats are blue')
    assert await sessions.resolve_parent(old_token) is None
    assert (await sessions.resolve_parent(signed.token)).contact_id == made.parent.id
    contact = await Contact.get(id=made.parent.id)
    assert not contact.locked and contact.failed_attempts == 0
    await sign_in.sign_in_parent('gabby@example.com', 'tumbling mats are blue')
    await outbox.deliver_due()
    assert [m.subject for m in delivered[0].sent][-1] == 'Your Kinroll Studio portal password was changed'
    with pytest.raises(ResetLinkInvalid):
        await passwords.reset_with_link(token, 'another fine password')


async def test_forgot_password_answers_alike_and_links_expire(delivered):
    await make_family('Brown', 'gabby@example.com')
    assert await passwords.request_reset('nobody@example.com') is None
    assert await passwords.request_reset('gabby@example.com') is None
    token = await reset_link(delivered)
    assert len(delivered[0].sent) == 1
    from domain.models import PasswordReset

    await PasswordReset.all().update(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    with pytest.raises(ResetLinkInvalid):
        await passwords.reset_with_link(token, 'tumbling mats are blue')


@pytest.mark.parametrize(
    'email, quoted',
    [(LONG_EMAIL, 'a' * 60 + '…'), ('gabby\x00@example.com', 'gabby\ufffd@example.com')],
    ids=['900,000 characters', 'NUL'],
)
async def test_forgot_password_answers_an_address_no_contact_can_have_alike_and_logs_it_short(
    delivered, email, quoted, caplog
):
    await make_family('Brown', 'gabby@example.com')
    assert await passwords.request_reset(email, client_ip='203.0.113.9') is None
    event = await PortalEvent.get()
    assert (event.kind, event.user_id, event.client_ip) == ('reset_requested', quoted, '203.0.113.9')
    assert event.message == f'Password reset asked for an address that cannot sign in: {quoted}'
    assert not await OutboxMessage.exists()
    assert all(len(record.getMessage()) < 1000 and not record.exc_info for record in caplog.records)


async def test_half_a_surrogate_pair_is_never_a_password(delivered):
    made = await make_family('Brown', 'gabby@example.com')
    actor = await signed_in('gabby@example.com')
    with pytest.raises(WrongCurrentPassword):
        await passwords.change_password(actor, None, PASSWORD + '\ud800', 'tumbling mats are blue')
    with pytest.raises(ValidationFailed) as refused:
        await passwords.change_password(actor, None, PASSWORD, 'tumbling mats are blue\ud800')
    assert refused.value.errors == {'new_password': HIDDEN_CHARACTERS}
    assert (await Contact.get(id=made.parent.id)).password_hash == made.parent.password_hash


async def test_a_weak_new_password_keeps_the_link_usable(delivered):
    await make_family('Brown', 'gabby@example.com')
    await passwords.request_reset('gabby@example.com')
    token = await reset_link(delivered)
    with pytest.raises(ValidationFailed):
        await passwords.reset_with_link(token, 'password')
    assert await passwords.reset_link_is_usable(token)


async def test_changing_the_password_keeps_this_device_and_ends_the_others(delivered):
    await make_family('Ager', 'holly@example.com')
    here, actor = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    elsewhere, _ = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    with pytest.raises(WrongCurrentPassword):
        await passwords.change_password(actor, here, 'not it', 'a brand new phrase')
    await passwords.change_password(actor, here, PASSWORD, 'a brand new phrase')
    assert await sessions.resolve_parent(here) is not None
    assert await sessions.resolve_parent(elsewhere) is None


async def test_sign_out_other_devices(delivered):
    await make_family('Ager', 'holly@example.com')
    here, actor = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    elsewhere, _ = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    assert await sessions.sign_out_other_devices(actor, here) == 1
    assert await sessions.resolve_parent(here) and not await sessions.resolve_parent(elsewhere)


async def test_staff_reset_gives_a_temporary_password_that_must_be_replaced(delivered):
    made = await make_family('Ager', 'holly@example.com')
    old, _ = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    staff = actors.StaffActor(1, 'Front Desk', 'desk@example.com', StaffRole.FRONT_DESK)
    temporary = await passwords.staff_reset_password(staff, made.parent.id)
    assert len(temporary) == 10 and await sessions.resolve_parent(old) is None
    await outbox.deliver_due()
    email = delivered[0].sent[-1]
    assert temporary in email.text and 'holly@example.com' in email.text
    stored = await OutboxMessage.get(kind='portal_password')
    assert temporary not in stored.body_text and stored.secret is None
    token, actor = await sign_in.sign_in_parent('holly@example.com', temporary)
    assert actor.must_change_password
    await passwords.change_password(actor, token, temporary, 'my own good phrase')
    assert not (await sessions.resolve_parent(token)).must_change_password


async def test_a_temporary_password_expires_after_72_hours(delivered):
    made = await make_family('Ager', 'holly@example.com')
    staff = actors.StaffActor(1, 'Front Desk', 'desk@example.com', StaffRole.FRONT_DESK)
    temporary = await passwords.staff_reset_password(staff, made.parent.id)
    await Contact.filter(id=made.parent.id).update(
        password_expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    )
    with pytest.raises(SignInFailed):
        await signed_in('holly@example.com', temporary)


async def test_the_studios_choice_of_sign_in_methods_is_enforced_by_the_services(delivered):
    from domain.access.codes import CodesNotOffered
    from domain.studio import settings

    await make_family('Ager', 'holly@example.com')
    await settings.change(sign_in_methods='codes')
    with pytest.raises(SignInFailed):
        await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    await settings.change(sign_in_methods='password')
    with pytest.raises(CodesNotOffered):
        await codes.send_code('holly@example.com')
    await sign_in.sign_in_parent('holly@example.com', PASSWORD)
