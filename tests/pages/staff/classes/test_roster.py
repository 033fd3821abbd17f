"""A class's roster shows each child enrolled with their age, allergy and medical flags, and the phones of
their family's contacts; a child starting later says when."""

import datetime as dt

from nicegui.testing import User

from domain.models import Contact, Participant
from domain.studio import settings
from tests.factories import make_family
from tests.pages.helpers import table_rows
from tests.pages.staff.classes.steps import a_class, a_studio, enrol, staff_member_signs_in


async def test_the_roster_shows_a_childs_allergy_and_a_contacts_phone(user: User):
    studio = await a_studio()
    ines_id = await staff_member_signs_in(user, 'ines@example.com', 'Ines Instructor', 'instructor')
    course = await a_class(studio, 'Ballet 2', ines_id)
    made = await make_family('Ager', 'holly@example.com', children=('Barbie', 'Zoe'))
    barbie, zoe = made.children
    await Participant.filter(id=barbie.id).update(allergies='Peanuts')
    await Contact.filter(id=made.parent.id).update(mobile_phone='+13125550101')
    today = settings.today()
    await enrol(course, barbie, today - dt.timedelta(days=7))
    await enrol(course, zoe, dt.date(2027, 1, 11))
    await user.open(f'/staff/classes/{course.id}/roster')
    await user.should_see('Roster: Ballet 2')
    await user.should_see('Enrolled: 2 / 10')
    rows = {row['name']: row for row in table_rows(user)}
    assert set(rows) == {'Barbie Ager', 'Zoe Ager'}
    barbie_row = rows['Barbie Ager']
    assert (barbie_row['allergy'], barbie_row['allergy_text'], barbie_row['medical']) == (True, 'Peanuts', False)
    assert barbie_row['phones'] == [
        {'contact': 'Holly Ager (primary)', 'number': '+13125550101', 'shown': '+1 312-555-0101'}
    ]
    assert barbie_row['family'] == 'Ager'
    assert barbie_row['age'].endswith(('years', 'months'))
    assert rows['Zoe Ager']['starts'] == 'Starts Jan 11, 2027'
    assert rows['Zoe Ager']['allergy'] is False
