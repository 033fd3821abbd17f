"""Two devices editing one child (issue 14, point 4): the stale one is refused and shown both versions."""

from collections.abc import Callable

from nicegui.testing import User

from domain.models import Participant
from tests.factories import make_family
from tests.pages.helpers import press, sign_in

ALLERGY = 'Tree nuts (EpiPen in bag)'
NOTE = 'Asthma: inhaler before class'


async def two_devices_on_one_child(create_user: Callable[[], User]) -> tuple[User, User, int]:
    made = await make_family('Ager', 'holly@example.com')
    phone, laptop = create_user(), create_user()
    child = made.children[0].id
    for device in (phone, laptop):
        await sign_in(device)
        await device.open(f'/portal/participants/{child}')
        await device.should_see('Allergies')
    phone.find('Allergies').type(ALLERGY)
    press(phone, 'Save')
    await phone.should_see('Saved', retries=30)
    laptop.find('Medical notes').type(NOTE)  # the laptop still shows the form as it was before the allergy
    press(laptop, 'Save')
    await laptop.should_see('Someone else changed this while you were editing', retries=30)
    return phone, laptop, child


async def test_a_save_from_a_stale_form_is_refused_and_the_allergy_is_kept(create_user: Callable[[], User]):
    _phone, laptop, child = await two_devices_on_one_child(create_user)
    await laptop.should_not_see('✓ Saved')
    await laptop.should_see(f'Theirs: {ALLERGY}')
    await laptop.should_see(f'Yours: {NOTE}')
    stored = await Participant.get(id=child)
    assert (stored.allergies, stored.medical_notes) == (ALLERGY, '')


async def test_keeping_mine_saves_my_note_beside_their_allergy(create_user: Callable[[], User]):
    _phone, laptop, child = await two_devices_on_one_child(create_user)
    press(laptop, 'Keep mine')
    await laptop.should_see('Saved', retries=30)
    stored = await Participant.get(id=child)
    assert (stored.allergies, stored.medical_notes) == (ALLERGY, NOTE)
    assert laptop.find('Allergies').elements.pop().value == ALLERGY


async def test_taking_theirs_shows_what_is_stored_and_saves_nothing(create_user: Callable[[], User]):
    _phone, laptop, child = await two_devices_on_one_child(create_user)
    press(laptop, 'Take theirs')
    await laptop.should_not_see(f'Theirs: {ALLERGY}')
    assert laptop.find('Allergies').elements.pop().value == ALLERGY
    assert laptop.find('Medical notes').elements.pop().value == ''
    stored = await Participant.get(id=child)
    assert (stored.allergies, stored.medical_notes, stored.version) == (ALLERGY, '', 2)


async def test_a_contact_saved_from_a_stale_form_is_refused_and_shows_both(create_user: Callable[[], User]):
    from domain.models import Contact

    made = await make_family('Ager', 'holly@example.com')
    phone, laptop = create_user(), create_user()
    for device in (phone, laptop):
        await sign_in(device)
        await device.open('/portal/you')
        await device.should_see('City')
    phone.find('City').type('Springfield')
    press(phone, 'Save')
    await phone.should_see('Saved', retries=30)
    laptop.find('Home phone').type('312 555 0144')
    press(laptop, 'Save')
    await laptop.should_see('Someone else changed this while you were editing', retries=30)
    await laptop.should_see('Theirs: Springfield')
    stored = await Contact.get(id=made.parent.id)
    assert (stored.city, stored.home_phone) == ('Springfield', None)
    press(laptop, 'Keep mine')
    await laptop.should_see('Saved', retries=30)
    stored = await Contact.get(id=made.parent.id)
    assert (stored.city, stored.home_phone) == ('Springfield', '+13125550144')


async def test_a_guardian_adds_a_brother_after_registration(create_user: Callable[[], User]):
    from domain.models import PortalEvent

    made = await make_family('Ager', 'holly@example.com')
    user = create_user()
    await sign_in(user)
    await user.open('/portal/participants')
    press(user, 'Add a child')
    await user.should_see('Allergies', retries=30)
    user.find('First name').type('Ken')
    user.find('Birthdate').type('2999-01-01')
    press(user, 'Add')
    await user.should_see('Not saved', retries=30)
    assert await Participant.filter(family_id=made.family.id).count() == 1
    user.find('Birthdate').clear()
    user.find('Birthdate').type('2015-06-01')
    press(user, 'Add')
    await user.should_see('Ken Ager', retries=30)
    assert await Participant.filter(family_id=made.family.id, first_name='Ken', last_name='Ager').exists()
    assert (await PortalEvent.all().order_by('-id').first()).message == 'Participant added: Ken Ager'
