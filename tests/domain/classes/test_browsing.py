"""The Classes screen's read: every class open to families with its price, openings and, per child, why they
cannot enrol; filters keep what a parent asked for and count the classes a chosen child's age leaves out."""

import datetime as dt
from decimal import Decimal

import pytest

from domain import clock
from domain.classes import browsing, enrolment
from domain.classes.browsing import Filter
from domain.classes.catalogue import PatternForm
from domain.classes.enrolment import Choice
from domain.studio import settings
from tests.domain.classes.making import BEFORE_TERM, add_class, family

pytestmark = pytest.mark.usefixtures('database')


async def test_each_class_says_per_child_whether_they_can_enrol_and_why_not(admin, term):
    await add_class(admin, term, 'Tiny Tots', min_age_years='3', max_age_years='5')
    await add_class(admin, term, 'Ballet 2', min_age_years='6', max_age_years='9', capacity='1')
    await add_class(admin, term, 'Hidden', shown_to_families=False)
    actor, (ava, ben) = await family('Bestie', children=('Ava', 'Ben'))
    ben.birthdate = dt.date(2022, 5, 1)
    await ben.save()
    with clock.pinned(BEFORE_TERM):
        listing = await browsing.classes_for_family(actor)
        by_name = {offer.line.course.name: offer for offer in listing.offers}
        assert sorted(by_name) == ['Ballet 2', 'Tiny Tots']
        assert [r.text('en') for r in by_name['Ballet 2'].reasons[ben.id]] == ['Ben is 4; this class is for ages 6–9']
        assert by_name['Ballet 2'].reasons[ava.id] == []  # Ava (7) can
        assert by_name['Ballet 2'].price.first_fee == Decimal('60.00') and by_name['Ballet 2'].meetings_left == 21

        for_ben = browsing.filtered(listing, Filter(child_id=ben.id))
        assert [o.line.course.name for o in for_ben.offers] == ['Tiny Tots'] and for_ben.not_for_child == 1
        everything = browsing.filtered(listing, Filter(child_id=ben.id), show_all_for_child=True)
        assert len(everything.offers) == 2

        view = await enrolment.hold_seats(actor, [Choice(ava.id, by_name['Ballet 2'].line.course.id)])
        await enrolment.enrol(actor, view.checkout_id)
        listing = await browsing.classes_for_family(actor)
        ballet = next(o for o in listing.offers if o.line.course.name == 'Ballet 2')
        assert ballet.openings_word() == 'full'
        assert [r.text('en') for r in ballet.reasons[ava.id]] == [
            'Ava is already enrolled in this class',
            'This class is full',
        ]


async def test_filters_by_day_time_location_text_and_openings(admin, term):
    await add_class(admin, term, 'Morning Tumble', patterns=(PatternForm((5,), '09:30', '10:30'),))
    await add_class(admin, term, 'Evening Jazz', patterns=(PatternForm((2,), '18:00', '19:00'),))
    actor, _children = await family('Bestie')
    await settings.change(openings_shown='status', few_left_at=10)
    with clock.pinned(BEFORE_TERM):
        listing = await browsing.classes_for_family(actor)

    def names(chosen: Filter) -> list[str]:
        return [o.line.course.name for o in browsing.filtered(listing, chosen).offers]

    assert names(Filter(weekday=5)) == ['Morning Tumble']
    assert names(Filter(time_of_day='evening')) == ['Evening Jazz']
    assert names(Filter(text='jazz')) == ['Evening Jazz']
    assert names(Filter(with_openings=True)) == ['Evening Jazz', 'Morning Tumble']
    assert listing.offers[0].openings_word() == 'few'  # 10 left, and the studio says "few left" from 10
