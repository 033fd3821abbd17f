"""What the dashboard gathers for a parent: their family's people in a stable order, and the balance."""

import datetime as dt
from decimal import Decimal

import pytest

from domain.billing import ledger
from domain.family.dashboard import dashboard
from domain.models import Contact, LedgerKind, Participant
from tests.factories import make_family, signed_in

pytestmark = pytest.mark.usefixtures('database')


async def test_the_familys_participants_contacts_and_balance_and_nothing_of_another_family():
    made = await make_family('Ager', 'holly@example.com', children=('Zoe', 'Barbie'))
    other = await make_family('Gunnar', 'gunnar@example.com', children=('Aaron',))
    await Participant.create(family=made.family, first_name='Barbie', last_name='Ager')  # no birthdate
    grandma = await Contact.create(family=made.family, first_name='Ruth', last_name='Ager', email='ruth@example.com')
    second = await Contact.create(family=made.family, first_name='Sam', last_name='Ager')  # no email
    uncle = await Contact.create(family=made.family, first_name='Bob', last_name='Ager')
    await Contact.filter(id=made.parent.id).update(is_primary=False)
    await Contact.filter(id=second.id).update(is_primary=True)
    await ledger.post_entry(made.family.id, LedgerKind.FEE, Decimal('95.50'), 'Tuition')
    await ledger.post_entry(made.family.id, LedgerKind.FEE, Decimal('10.25'), 'Costume')
    await ledger.post_entry(made.family.id, LedgerKind.PAYMENT, Decimal('40.00'), 'Payment')
    await ledger.post_entry(made.family.id, LedgerKind.CREDIT, Decimal('0.50'), 'Credit')
    await ledger.post_entry(other.family.id, LedgerKind.FEE, Decimal('999.00'), 'Not theirs')

    board = await dashboard(await signed_in('holly@example.com'))

    assert [(p.full_name, p.birthdate) for p in board.participants] == [
        ('Barbie Ager', made.children[1].birthdate),
        ('Barbie Ager', None),  # same first name: the one made first comes first
        ('Zoe Ager', dt.date(2012, 3, 4)),
    ]
    assert (board.me.id, board.me.first_name, board.me.full_name, board.me.email) == (
        made.parent.id,
        'Holly',
        'Holly Ager',
        'holly@example.com',
    )
    assert [(c.id, c.full_name, c.email) for c in board.others] == [
        (second.id, 'Sam Ager', ''),  # the primary contact first
        (grandma.id, 'Ruth Ager', 'ruth@example.com'),
        (uncle.id, 'Bob Ager', ''),
    ]
    assert board.balance == Decimal('65.25')
