"""A new family registering online: steps, drafts that survive leaving, duplicates, one transaction."""

import asyncio
import json

import pytest

from domain.access import actors, codes, passwords, sessions, sign_in
from domain.access.actors import PermissionDenied, SignedIn
from domain.errors import ValidationFailed
from domain.models import (
    Agreement,
    Answer,
    CodePurpose,
    Contact,
    Family,
    OutboxMessage,
    Participant,
    PortalEvent,
    QuestionKind,
    RegistrationDraft,
    SignInMethods,
)
from domain.registration import drafts, policies, questions
from domain.registration.drafts import DraftGone, StepInvalid
from domain.registration.policies import PolicyForm
from domain.registration.questions import QuestionForm
from tests.factories import code_from, make_family, make_staff

pytestmark = pytest.mark.usefixtures('database')

DEANNE = {
    'first_name': 'Deanne',
    'last_name': 'Gunnar',
    'email': 'dgunnar@example.com',
    'address1': '1 Elm St',
    'city': 'Springfield',
    'postal_code': '62701',
    'preferred_language': 'es',
}
CHILD = {
    'first_name': 'Pia',
    'last_name': 'Gunnar',
    'birthdate': '2016-05-02',
    'gender': 'female',
    'allergies': 'Peanuts',
    'medical_notes': '',
}


async def admin():
    made = await make_staff('owner@example.com', 'Owner', 'admin')
    return actors.StaffActor(made.id, made.name, made.email, made.role)


async def verify(delivered, destination: str = '+1 312 555 0101', **kwargs) -> str:
    """Prove a number or address the way a parent does; returns the draft's token."""
    sent = await codes.send_code(destination, **kwargs)
    outcome = await codes.enter_code(sent.attempt_id, await code_from(delivered), language='es')
    assert isinstance(outcome, codes.Verified)
    return outcome.registration_token


async def studio_with_questions_and_a_policy():
    owner = await admin()
    await questions.add_question(
        owner,
        QuestionForm('How did you hear about us?', 'single_choice', 'A friend\nSocial media\nOther', required=True),
    )
    await questions.add_question(owner, QuestionForm('Swimming level', 'short_text', scope='participant'))
    version = await policies.add_policy(owner, PolicyForm('Liability waiver', '**Dance is a physical activity.**'))
    return owner, version


async def fill_in(token: str, version_id: int | None = None, *, you=None, participants=None) -> None:
    await drafts.advance(token, 'you', {**DEANNE, **(you or {})})
    await drafts.advance(
        token,
        'contacts',
        [{'first_name': 'Gran', 'last_name': 'Gunnar', 'relationship': 'Grandmother', 'can_pick_up': True}],
    )
    draft = await drafts.advance(token, 'participants', participants or [CHILD])
    if 'questions' in draft.steps:
        (family_q,) = await questions.active_questions(questions.QuestionScope.FAMILY)
        (child_q,) = await questions.active_questions(questions.QuestionScope.PARTICIPANT)
        await drafts.advance(
            token,
            'questions',
            {'family': {str(family_q.id): 'A friend'}, 'participants': [{str(child_q.id): 'Beginner'}]},
        )
    if version_id:
        await drafts.advance(token, 'policies', {str(version_id): {'accepted': True, 'typed_name': 'Deanne  Gunnar'}})


async def test_a_family_registers_from_a_verified_mobile_and_lands_signed_in(delivered):
    _owner, version = await studio_with_questions_and_a_policy()
    token = await verify(delivered)
    draft = await drafts.resume(token)
    assert draft.step == 'you' and draft.data['you']['mobile_phone'] == '+1 312-555-0101'
    await fill_in(token, version.id)
    await drafts.choose_password(token, 'a long walk on the beach')
    signed = await drafts.submit(token, client_ip='198.51.100.7', user_agent='Phone Browser 1.0')

    assert isinstance(signed, SignedIn)
    assert (await sessions.resolve_parent(signed.token)).contact_name == 'Deanne Gunnar'
    family = await Family.get(name='Gunnar')
    parent, gran = await Contact.filter(family=family).order_by('id')
    # registered by phone: the email typed is kept, and signs in only once proven by its own code (issue 14, point 3)
    assert (parent.mobile_phone, parent.email, parent.pending_email, parent.is_primary, parent.preferred_language) == (
        '+13125550101',
        None,
        'dgunnar@example.com',
        True,
        'es',
    )
    assert await passwords.verify_password(parent.password_hash, 'a long walk on the beach')
    assert (gran.relationship, gran.can_pick_up, gran.allow_login) == ('Grandmother', True, False)
    child = await Participant.get(family=family)
    assert (child.full_name, child.allergies) == ('Pia Gunnar', 'Peanuts')
    answers = {a.prompt: (a.value['answer'], a.participant_id) for a in await Answer.filter(family=family)}
    assert answers == {'How did you hear about us?': ('A friend', None), 'Swimming level': ('Beginner', child.id)}
    agreement = await Agreement.get(family=family)
    assert (
        agreement.typed_name,
        agreement.text_shown,
        agreement.client_ip,
        agreement.user_agent,
        agreement.contact_id,
    ) == ('Deanne Gunnar', '**Dance is a physical activity.**', '198.51.100.7', 'Phone Browser 1.0', parent.id)
    logged = [e.message for e in await PortalEvent.filter(family_id=family.id).order_by('id')]
    assert logged == [
        'Agreed to Policies: Deanne Gunnar',
        'Registration submitted: Gunnar family, participants: Pia Gunnar',
        'Login successful after registration for UserID: +13125550101',
    ]
    email = await OutboxMessage.filter(kind='registration').get()
    assert (email.to_address, email.language) == ('dgunnar@example.com', 'es')
    assert 'Pia Gunnar' in email.body_text and 'Gracias' in email.body_text
    assert not await RegistrationDraft.exists()


async def test_each_step_refuses_bad_input_field_by_field_and_keeps_what_was_typed(delivered):
    token = await verify(delivered, 'newfamily@example.com')
    with pytest.raises(StepInvalid) as refused:
        await drafts.advance(
            token, 'you', {'first_name': 'Deanne', 'mobile_phone': '123', 'email': 'someone-else@example.com'}
        )
    assert refused.value.errors == {
        'last_name': 'This field is required',
        'mobile_phone': 'Enter a valid phone number, with the area code',
    }
    draft = await drafts.resume(token)
    assert draft.step == 'you' and draft.data['you']['first_name'] == 'Deanne'
    assert draft.data['you']['email'] == 'newfamily@example.com'  # the verified address cannot be swapped
    await drafts.advance(token, 'you', {**DEANNE, 'email': 'x@example.com'})
    await drafts.advance(token, 'contacts', [])
    with pytest.raises(StepInvalid) as refused:
        await drafts.advance(
            token, 'participants', [{'first_name': 'Pia', 'last_name': 'Gunnar', 'birthdate': '2099-01-01'}, {}]
        )
    assert refused.value.errors == {
        'participants.0.birthdate': 'A birthdate cannot be in the future',
        'participants.1.first_name': 'This field is required',
        'participants.1.last_name': 'This field is required',
    }
    with pytest.raises(StepInvalid) as refused:
        await drafts.advance(token, 'participants', [])
    assert refused.value.errors == {'participants': 'Add at least one participant'}


async def test_a_registration_abandoned_midway_resumes_at_the_same_step(delivered):
    token = await verify(delivered)
    await drafts.advance(token, 'you', DEANNE)
    await drafts.advance(token, 'contacts', [])
    await drafts.keep(token, 'participants', [{'first_name': 'Pia'}])  # typed, then the phone locked
    # Days later, on another phone: the same number proven again reopens the same draft.
    await codes.AccessCode.all().update(created_at=(await codes.AccessCode.first()).created_at - codes.RESEND_AFTER)
    again = await verify(delivered)
    assert again != token
    with pytest.raises(DraftGone):
        await drafts.resume(token)  # the old browser's token no longer opens it
    draft = await drafts.resume(again)
    assert draft.step == 'participants'
    assert draft.data['participants'] == [{'first_name': 'Pia'}]
    assert draft.data['you']['first_name'] == 'Deanne'


async def test_going_back_keeps_every_step(delivered):
    token = await verify(delivered)
    await drafts.advance(token, 'you', DEANNE)
    draft = await drafts.go_back(token, 'contacts')
    assert draft.step == 'you' and draft.data['you']['last_name'] == 'Gunnar'


async def test_an_email_already_on_a_contact_is_refused_with_an_offer_to_sign_in(delivered):
    await make_family('Gunnar', 'dgunnar@example.com')
    token = await verify(delivered)
    with pytest.raises(StepInvalid) as refused:
        await drafts.advance(token, 'you', DEANNE)
    assert refused.value.errors == {'email': drafts.ALREADY_REGISTERED}


async def test_another_contacts_email_must_be_new_and_not_the_parents_own(delivered):
    await make_family('Ager', 'holly@example.com')
    token = await verify(delivered)
    await drafts.advance(token, 'you', DEANNE)
    gran = {'first_name': 'Gran', 'last_name': 'Gunnar', 'relationship': 'Grandmother'}
    typed = [
        {**gran, 'email': 'holly@example.com'},  # already on another family's contact
        {**gran, 'first_name': 'Ole', 'email': 'ole@example.com'},  # new: fine
        {**gran, 'first_name': 'Dee', 'email': 'dgunnar@example.com'},  # the parent's own address
    ]
    with pytest.raises(StepInvalid) as refused:
        await drafts.advance(token, 'contacts', typed)
    assert set(refused.value.errors) == {'contacts.0.email', 'contacts.2.email'}
    draft = await drafts.advance(token, 'contacts', typed[1:2])
    assert draft.step == 'participants'


async def test_registering_with_a_known_address_offers_sign_in_instead(delivered):
    await make_family('Gunnar', 'dgunnar@example.com')
    sent = await codes.send_code('dgunnar@example.com', purpose=CodePurpose.REGISTER)
    with pytest.raises(drafts.AlreadyRegistered):
        await codes.enter_code(sent.attempt_id, await code_from(delivered))
    assert await PortalEvent.filter(kind='registration_refused').exists()


async def test_concurrent_registrations_typing_the_same_email_give_it_to_neither_as_a_sign_in(delivered):
    """Two phones register at once, both typing one email: each family is registered by its proven number, and
    the email signs neither in until one of them proves it with its own code."""
    first = await verify(delivered, '+1 312 555 0101')
    second = await verify(delivered, '+1 312 555 0102')
    for token in (first, second):
        await fill_in(token)
    results = await asyncio.gather(drafts.submit(first), drafts.submit(second), return_exceptions=True)
    assert [type(r).__name__ for r in results] == ['SignedIn', 'SignedIn']
    assert await Family.all().count() == 2 and await Contact.filter(email='dgunnar@example.com').count() == 0
    assert await Contact.filter(pending_email='dgunnar@example.com').count() == 2
    assert await RegistrationDraft.all().count() == 0


async def test_a_double_tap_on_submit_registers_once(delivered):
    token = await verify(delivered)
    await fill_in(token)
    results = await asyncio.gather(drafts.submit(token), drafts.submit(token), return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ['DraftGone', 'SignedIn']
    assert await Family.all().count() == 1
    assert await PortalEvent.filter(kind='registration_submitted').count() == 1


async def test_a_second_tap_whose_checks_run_after_the_first_registered_is_told_the_draft_is_gone(
    delivered, monkeypatch
):
    """The second tap read the draft before the first tap committed, then checked it against the new family."""
    token = await verify(delivered)
    await fill_in(token)
    real_steps = drafts.steps_asked
    first_tap = []

    async def first_tap_finishes_meanwhile():
        if not first_tap:
            monkeypatch.setattr(drafts, 'steps_asked', real_steps)
            first_tap.append(await drafts.submit(token))
        return await real_steps()

    monkeypatch.setattr(drafts, 'steps_asked', first_tap_finishes_meanwhile)
    with pytest.raises(DraftGone):
        await drafts.submit(token)
    assert isinstance(first_tap[0], SignedIn) and await Family.all().count() == 1


async def test_a_policy_changed_during_registration_must_be_read_again(delivered):
    owner, version = await studio_with_questions_and_a_policy()
    token = await verify(delivered)
    await fill_in(token, version.id)
    await policies.revise_policy(owner, version.policy_id, PolicyForm('Liability waiver', 'New words.'))
    with pytest.raises(StepInvalid) as refused:
        await drafts.submit(token)
    assert refused.value.step == 'policies'
    assert (await drafts.resume(token)).step == 'policies'
    assert not await Family.exists()


async def test_the_password_step_keeps_only_a_hash_never_what_was_typed(delivered):
    token = await verify(delivered)
    assert 'password' in drafts.STEPS and 'password' not in drafts.SECTIONS
    with pytest.raises(ValueError):
        await drafts.keep(token, 'password', 'a long walk on the beach')
    await drafts.choose_password(token, 'a long walk on the beach')
    data = (await RegistrationDraft.get()).data
    assert data['password_hash'].startswith('$argon2id$')
    assert 'a long walk on the beach' not in json.dumps(data)


async def test_a_password_only_studio_verifies_new_families_and_needs_a_password(delivered):
    from domain.studio import settings

    await settings.change(sign_in_methods=SignInMethods.PASSWORD)
    with pytest.raises(codes.CodesNotOffered):
        await codes.send_code('newfamily@example.com')
    token = await verify(delivered, 'newfamily@example.com', purpose=CodePurpose.REGISTER)
    await fill_in(token, you={'email': 'newfamily@example.com'})
    assert (await drafts.resume(token)).step == 'password'
    with pytest.raises(StepInvalid) as refused:
        await drafts.submit(token)
    assert refused.value.errors == {'password': drafts.PASSWORD_NEEDED}
    with pytest.raises(ValidationFailed):
        await drafts.choose_password(token, 'password')
    await drafts.choose_password(token, 'a long walk on the beach')
    await drafts.submit(token)
    token, actor = await sign_in.sign_in_parent('newfamily@example.com', 'a long walk on the beach')
    assert actor.family_name == 'Gunnar'


async def test_codes_only_studios_do_not_ask_for_a_password(delivered):
    from domain.studio import settings

    await settings.change(sign_in_methods=SignInMethods.CODES)
    token = await verify(delivered)
    assert (await drafts.resume(token)).steps == ('you', 'contacts', 'participants')


async def test_stale_drafts_are_purged(delivered):
    import datetime as dt

    await verify(delivered)
    assert await drafts.purge_stale(dt.datetime.now(dt.UTC) + dt.timedelta(days=31)) == 1
    assert not await RegistrationDraft.exists()


async def test_questions_validate_by_kind():
    owner = await admin()
    kinds = {
        kind: await questions.add_question(owner, QuestionForm(kind.value, kind.value, 'One\nTwo'))
        for kind in QuestionKind
    }
    from domain.validation import Cleaner

    clean = Cleaner()
    typed = {
        str(kinds[QuestionKind.NUMBER].id): 'lots',
        str(kinds[QuestionKind.DATE].id): '31/12/2020',
        str(kinds[QuestionKind.SINGLE_CHOICE].id): 'Three',
        str(kinds[QuestionKind.YES_NO].id): 'yes',
        str(kinds[QuestionKind.MULTIPLE_CHOICE].id): ['Two', 'One'],
        str(kinds[QuestionKind.SHORT_TEXT].id): '  hello ',
    }
    values = questions.clean_answers(clean, '', list(kinds.values()), typed)
    assert clean.errors == {
        str(kinds[QuestionKind.NUMBER].id): 'Enter a number, like 3 or 2.5',
        str(kinds[QuestionKind.DATE].id): 'Enter the date as year-month-day',
        str(kinds[QuestionKind.SINGLE_CHOICE].id): 'Choose one of the options',
    }
    assert values[kinds[QuestionKind.YES_NO].id] is True
    assert values[kinds[QuestionKind.MULTIPLE_CHOICE].id] == ['One', 'Two']
    assert values[kinds[QuestionKind.SHORT_TEXT].id] == 'hello'
    with pytest.raises(ValidationFailed) as refused:
        await questions.add_question(owner, QuestionForm('Pick', 'single_choice', 'Only one'))
    assert refused.value.errors == {'choices': 'Give at least two choices, one per line'}


async def test_editing_or_retiring_a_question_keeps_answers_already_given(delivered):
    owner, _version = await studio_with_questions_and_a_policy()
    await policies.retire_policy(owner, _version.policy_id)
    token = await verify(delivered)
    await fill_in(token)
    await drafts.submit(token)
    (family_q,) = await questions.active_questions(questions.QuestionScope.FAMILY)
    await questions.edit_question(owner, family_q.id, QuestionForm('Where did you find us?', 'short_text'))
    (child_q,) = await questions.active_questions(questions.QuestionScope.PARTICIPANT)
    await questions.retire_question(owner, child_q.id)
    family = await Family.get(name='Gunnar')
    given = {(a.prompt, str(a.value), a.participant_name) for a in await questions.family_answers(family.id)}
    assert given == {('How did you hear about us?', 'A friend', ''), ('Swimming level', 'Beginner', 'Pia Gunnar')}
    assert [q.prompt for q in await questions.active_questions()] == ['Where did you find us?']


async def test_questions_are_reordered_and_only_admins_change_them():
    owner = await admin()
    made = [await questions.add_question(owner, QuestionForm(p, 'short_text')) for p in ('A', 'B', 'C')]
    await questions.move_question(owner, made[2].id, -1)
    assert [q.prompt for q in await questions.active_questions()] == ['A', 'C', 'B']
    desk = await make_staff()
    with pytest.raises(PermissionDenied):
        await questions.add_question(
            actors.StaffActor(desk.id, desk.name, desk.email, desk.role), QuestionForm('D', 'short_text')
        )
