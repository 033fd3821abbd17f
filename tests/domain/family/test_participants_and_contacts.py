import datetime as dt

import pytest

from domain import events
from domain.errors import NotFound, ValidationFailed
from domain.family import contacts, participants
from domain.family.contacts import CannotRemoveYourself, ContactForm
from domain.family.participants import ParticipantForm
from domain.models import Contact, Participant, PortalEvent
from tests.factories import make_family, signed_in

pytestmark = pytest.mark.usefixtures('database')


async def last_message() -> str:
    return (await PortalEvent.all().order_by('-id').first()).message


def form_for(child: Participant, **changes) -> ParticipantForm:
    return ParticipantForm(**{**ParticipantForm.of(child).__dict__, **changes})


async def test_birthdate_change_is_saved_and_logged_with_old_and_new_date():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    await participants.update_participant(
        actor, made.children[0].id, form_for(made.children[0], birthdate='2010-11-17')
    )
    assert (await Participant.get(id=made.children[0].id)).birthdate == dt.date(2010, 11, 17)
    assert await last_message() == 'Birthdate for Barbie Ager set to 11/17/2010'


async def test_health_notes_are_saved_but_never_copied_into_the_log():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    child = made.children[0]
    await participants.update_participant(
        actor, child.id, form_for(child, allergies='Bee stings', medical_notes='Carries an EpiPen')
    )
    assert (await Participant.get(id=child.id)).allergies == 'Bee stings'
    message = await last_message()
    assert message == 'Allergies for Barbie Ager updated; Medical notes for Barbie Ager updated'
    assert 'Bee' not in message and 'EpiPen' not in message


@pytest.mark.parametrize(
    'changes, field',
    [
        ({'birthdate': '2999-01-01'}, 'birthdate'),
        ({'birthdate': '1899-12-31'}, 'birthdate'),
        ({'birthdate': 'next tuesday'}, 'birthdate'),
        ({'first_name': '   '}, 'first_name'),
        ({'last_name': ''}, 'last_name'),
        ({'gender': 'robot'}, 'gender'),
    ],
)
async def test_bad_participant_input_is_refused_and_nothing_is_saved(changes, field):
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    child = made.children[0]
    before = await PortalEvent.all().count()
    published = []
    unsubscribe = events.bus.subscribe(events.PORTAL_LOG, published.append)
    try:
        with pytest.raises(ValidationFailed) as refused:
            await participants.update_participant(actor, child.id, form_for(child, allergies='Pollen', **changes))
    finally:
        unsubscribe()
    assert field in refused.value.errors
    stored = await Participant.get(id=child.id)
    assert (stored.first_name, stored.birthdate, stored.allergies) == ('Barbie', dt.date(2012, 3, 4), '')
    assert await PortalEvent.all().count() == before and published == []


async def test_unchanged_save_writes_no_log_line():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    before = await PortalEvent.all().count()
    await participants.update_participant(actor, made.children[0].id, form_for(made.children[0]))
    assert await PortalEvent.all().count() == before


async def test_another_familys_participant_looks_like_a_missing_one():
    await make_family('Ager', 'holly@example.com')
    other = await make_family('Gunnar', 'deanne@example.com', children=('Erik',))
    actor = await signed_in('holly@example.com')
    for participant_id in (other.children[0].id, 999_999):
        with pytest.raises(NotFound):
            await participants.participant_view(actor, participant_id)
        with pytest.raises(NotFound):
            await participants.update_participant(actor, participant_id, form_for(other.children[0], first_name='X'))
    assert (await Participant.get(id=other.children[0].id)).first_name == 'Erik'


def contact_form(contact: Contact, **changes) -> ContactForm:
    return ContactForm(**{**ContactForm.of(contact).__dict__, **changes})


async def test_own_details_are_normalised_and_logged():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    await contacts.update_contact(
        actor,
        made.parent.id,
        contact_form(made.parent, mobile_phone='(312) 555-0199', email=' Holly.Ager@Example.COM ', city='Springfield'),
    )
    stored = await Contact.get(id=made.parent.id)
    assert stored.mobile_phone == '+13125550199' and stored.city == 'Springfield'
    assert stored.email == 'holly@example.com'  # a new sign-in email waits for the code sent to it
    assert await last_message() == 'Mobile phone for Holly Ager set to +13125550199; Address for Holly Ager changed'
    assert await PortalEvent.filter(
        message='Code sent to confirm the new sign-in email holly.ager@example.com'
    ).exists()


@pytest.mark.parametrize(
    'changes, field',
    [
        ({'email': 'not-an-email'}, 'email'),
        ({'email': ''}, 'email'),  # your own email is your sign-in ID
        ({'mobile_phone': '12'}, 'mobile_phone'),
        ({'home_phone': 'call me'}, 'home_phone'),
        ({'first_name': ''}, 'first_name'),
        ({'preferred_language': 'fr'}, 'preferred_language'),
    ],
)
async def test_bad_contact_input_is_refused_beside_the_field(changes, field):
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    with pytest.raises(ValidationFailed) as refused:
        await contacts.update_contact(actor, made.parent.id, contact_form(made.parent, city='Elsewhere', **changes))
    assert field in refused.value.errors
    assert (await Contact.get(id=made.parent.id)).city == ''


async def test_all_errors_of_a_form_are_reported_at_once():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    with pytest.raises(ValidationFailed) as refused:
        await contacts.update_contact(
            actor, made.parent.id, contact_form(made.parent, first_name='', email='nope', mobile_phone='1')
        )
    assert set(refused.value.errors) == {'first_name', 'email', 'mobile_phone'}


async def test_add_edit_and_remove_another_contact():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    grandma = await contacts.add_contact(
        actor, ContactForm('June', 'Porter', relationship='Grandmother', mobile_phone='312 555 0103', can_pick_up=True)
    )
    assert grandma.family_id == made.family.id and grandma.mobile_phone == '+13125550103'
    assert await last_message() == 'Contact added: June Porter (Grandmother)'
    await contacts.update_contact(actor, grandma.id, contact_form(grandma, is_emergency=True))
    assert await last_message() == 'Emergency contact for June Porter checked'
    await contacts.remove_contact(actor, grandma.id)
    assert (await Contact.get(id=grandma.id)).removed_at is not None
    assert await last_message() == 'Contact removed: June Porter'


async def test_a_parent_cannot_remove_themselves_or_touch_another_familys_contacts():
    made = await make_family('Ager', 'holly@example.com')
    other = await make_family('Gunnar', 'deanne@example.com')
    actor = await signed_in('holly@example.com')
    with pytest.raises(CannotRemoveYourself):
        await contacts.remove_contact(actor, made.parent.id)
    with pytest.raises(NotFound):
        await contacts.contact_view(actor, other.parent.id)
    with pytest.raises(NotFound):
        await contacts.update_contact(actor, other.parent.id, contact_form(other.parent, first_name='Mallory'))
    with pytest.raises(NotFound):
        await contacts.remove_contact(actor, other.parent.id)
    assert (await Contact.get(id=other.parent.id)).first_name == 'Holly'


async def test_language_choice_is_remembered_for_the_contact():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    await contacts.set_preferred_language(actor, 'zh_Hans')
    assert (await Contact.get(id=made.parent.id)).preferred_language == 'zh_Hans'
    assert await last_message() == 'Preferred language for Holly Ager set to 简体中文'
    with pytest.raises(ValidationFailed):
        await contacts.set_preferred_language(actor, 'klingon')
