"""Staff look after the family record (issue 14, point 5): contacts and participants edited, added and removed on
the family page, through the parents' rules, logged with the staff member; a parent's stale save is refused."""

from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from domain.models import Contact, ContactRole, Participant, PortalEvent, StaffAuditEntry
from tests.factories import make_family
from tests.pages.helpers import press, sign_in, staff_signs_in


def inside(user: User, marker: str, label: str) -> UserInteraction:
    """The field labelled so, or the button that says so, inside the card marked so."""
    [card] = user.find(marker=marker).elements
    found = {
        e for e in card.descendants() if e.props.get('label') == label or (isinstance(e, ui.button) and e.text == label)
    }
    assert found, f'nothing in {marker} says {label!r}'
    return UserInteraction(user, found, label)


async def test_staff_correct_a_childs_birthdate_and_health_notes_logged_as_themselves(user: User):
    made = await make_family('Ager', 'holly@example.com')
    child = made.children[0]
    await Participant.filter(id=child.id).update(allergies='Peanuts')
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    card = f'participant-{child.id}'
    assert inside(user, card, 'Allergies').elements.pop().value == 'Peanuts'  # staff see the health notes
    inside(user, card, 'Birthdate').clear().type('2999-01-01')
    inside(user, card, 'Save Changes').click()
    await user.should_see('Not saved', retries=30)  # the parents' validation
    assert (await Participant.get(id=child.id)).birthdate.year == 2012
    inside(user, card, 'Birthdate').clear().type('2012-05-06')
    inside(user, card, 'Medical notes').type('Asthma')
    inside(user, card, 'Save Changes').click()
    await user.should_see('Saved', retries=30)
    stored = await Participant.get(id=child.id)
    assert (stored.birthdate.isoformat(), stored.medical_notes) == ('2012-05-06', 'Asthma')
    line = await PortalEvent.all().order_by('-id').first()
    assert line.message.endswith('Medical notes for Barbie Ager updated by Front Desk')
    assert line.user_id == 'desk@example.com'
    assert await StaffAuditEntry.filter(action='participant_updated', family_id=made.family.id).exists()


async def test_a_parents_save_from_before_a_staff_save_is_refused(create_user: Callable[[], User]):
    made = await make_family('Ager', 'holly@example.com')
    child = made.children[0]
    phone, desk = create_user(), create_user()
    await sign_in(phone)
    await phone.open(f'/portal/participants/{child.id}')
    await phone.should_see('Allergies')
    await staff_signs_in(desk)
    await desk.open(f'/staff/families/{made.family.id}')
    inside(desk, f'participant-{child.id}', 'Allergies').type('Tree nuts (EpiPen in bag)')
    inside(desk, f'participant-{child.id}', 'Save Changes').click()
    await desk.should_see('Saved', retries=30)
    phone.find('Medical notes').type('Asthma')
    press(phone, 'Save')
    await phone.should_see('Someone else changed this while you were editing', retries=30)
    stored = await Participant.get(id=child.id)
    assert (stored.allergies, stored.medical_notes) == ('Tree nuts (EpiPen in bag)', '')


async def test_staff_add_a_participant_and_a_contact_and_remove_a_contact(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await Contact.filter(id=made.parent.id).update(is_billing=True)
    gran = await Contact.create(
        family=made.family, first_name='Gran', last_name='Ager', role=ContactRole.PICKUP, can_pick_up=True
    )
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    inside(user, 'new-participant', 'First name').type('Ken')
    inside(user, 'new-participant', 'Birthdate').type('2016-02-03')
    inside(user, 'new-participant', 'Add').click()
    await user.should_see('Ken Ager', retries=30)
    ken = await Participant.get(family_id=made.family.id, first_name='Ken')
    assert ken.last_name == 'Ager'
    inside(user, 'new-contact', 'First name').type('Uncle')
    inside(user, 'new-contact', 'Mobile phone').type('312 555 0177')
    inside(user, 'new-contact', 'Add').click()
    await user.should_see('Uncle Ager', retries=30)
    uncle = await Contact.get(family_id=made.family.id, first_name='Uncle')
    assert (uncle.mobile_phone, uncle.is_primary) == ('+13125550177', False)
    assert 'Remove this contact' not in {
        e.text
        for e in user.find(marker=f'contact-{made.parent.id}').elements.pop().descendants()
        if isinstance(e, ui.button)
    }  # the primary contact is passed on first
    inside(user, f'contact-{gran.id}', 'Remove this contact').click()
    inside(user, f'remove-contact-{gran.id}', 'Remove').click()  # each card has its dialog: Gran's
    await user.should_see(marker='removed-contacts', retries=30)
    assert (await Contact.get(id=gran.id)).removed_at is not None
    [row] = user.find(marker='removed-contacts').elements.pop().rows
    assert row['name'] == 'Gran Ager'
    said = [e.message for e in await PortalEvent.all().order_by('id')]
    assert said[-3:] == [
        'Participant added: Ken Ager by Front Desk',
        'Contact added: Uncle Ager by Front Desk',
        'Contact removed: Gran Ager by Front Desk',
    ]
    actions = set(await StaffAuditEntry.filter(family_id=made.family.id).values_list('action', flat=True))
    assert {'participant_added', 'contact_added', 'contact_removed'} <= actions


async def test_each_contact_has_its_role_editor_on_the_family_page(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    inside(user, f'contact-{made.parent.id}', 'Save role')
    inside(user, f'contact-{made.parent.id}', 'Role in the family')


async def test_staff_remove_a_child_who_left_after_confirming_and_it_shows_under_removed_participants(user: User):
    made = await make_family('Bestie', 'holly@example.com', children=('Ava', 'Zed'))
    ava, zed = made.children
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    inside(user, f'participant-{ava.id}', 'Remove this participant').click()
    await user.should_see("Remove Ava Bestie from the family's participants? Their history stays, read-only.")
    assert (await Participant.get(id=ava.id)).removed_at is None  # nothing until confirmed
    inside(user, f'remove-participant-{ava.id}', 'Remove').click()  # Ava's dialog, not Zed's
    await user.should_see(marker='removed-participants', retries=30)
    assert (await Participant.get(id=ava.id)).removed_at is not None
    [row] = user.find(marker='removed-participants').elements.pop().rows
    assert row['name'] == 'Ava Bestie'
    await user.should_not_see(marker=f'participant-{ava.id}')
    await user.should_see(marker=f'participant-{zed.id}')
    line = await PortalEvent.all().order_by('-id').first()
    assert line.message == 'Participant removed: Ava Bestie by Front Desk'
    assert await StaffAuditEntry.filter(action='participant_removed', family_id=made.family.id).exists()
