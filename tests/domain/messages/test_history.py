"""A family's Messages: each contact sees the family's messages and their own, never another contact's sign-in
codes or password mails, not even by typing its id; staff see every copy."""

import pytest

from domain.access import passwords
from domain.access.actors import Actor
from domain.errors import NotFound
from domain.messages import history, notices, outbox
from domain.messages.outbox import Recipient
from domain.models import Channel, Contact, ContactRole, OutboxMessage
from domain.unit_of_work import UnitOfWork
from tests.factories import make_family

pytestmark = pytest.mark.usefixtures('database')


async def two_guardians():
    made = await make_family('Ager', 'holly@example.com')
    sam = await Contact.create(family=made.family, first_name='Sam', last_name='Ager', email='sam@example.com')
    holly = Actor(made.parent.id, made.family.id, 'Ager', 'Holly Ager', 'holly@example.com', 'en')
    return made, holly, Actor(sam.id, made.family.id, 'Ager', 'Sam Ager', 'sam@example.com', 'en')


async def a_family_message(family_id: int) -> OutboxMessage:
    async with UnitOfWork() as uow:
        return await outbox.enqueue(
            uow,
            Channel.EMAIL,
            Recipient('Holly Ager', 'holly@example.com', 'en', family_id),
            notices.policy_request('en', 'Holly', 'https://portal.example.com/'),
        )


async def test_a_second_contact_sees_the_familys_messages_but_not_the_firsts_sign_in_mail():
    made, holly, sam = await two_guardians()
    await passwords.request_reset('holly@example.com')
    reset = await OutboxMessage.get(kind='password_reset')
    assert reset.contact_id == holly.contact_id
    family_wide = await a_family_message(made.family.id)

    assert {m.id for m in await history.family_messages(holly)} == {reset.id, family_wide.id}
    assert {m.id for m in await history.family_messages(sam)} == {family_wide.id}
    assert (await history.family_message(holly, reset.id)).kind_label == 'Password reset'
    with pytest.raises(NotFound):
        await history.family_message(sam, reset.id)
    assert (await history.family_message(sam, family_wide.id)).id == family_wide.id
    assert {m.id for m in await history.family_messages_for_staff(made.family.id)} == {reset.id, family_wide.id}


async def test_every_personal_kind_is_kept_from_the_other_contacts():
    made, holly, sam = await two_guardians()
    async with UnitOfWork() as uow:
        for notice in (
            notices.sign_in_code('en'),
            notices.password_changed('en', 'Holly'),
            notices.portal_password('en', 'Holly', 'holly@example.com', 'https://portal.example.com/'),
            notices.address_change_code('en'),
            notices.address_changed('en', 'email', 'new@example.com'),
        ):
            recipient = Recipient('Holly Ager', 'holly@example.com', 'en', made.family.id, holly.contact_id)
            await outbox.enqueue(uow, Channel.EMAIL, recipient, notice)
    assert len(await history.family_messages(holly)) == 5
    assert await history.family_messages(sam) == []


async def test_another_familys_message_is_not_found():
    _made, holly, _sam = await two_guardians()
    other = await make_family('Gunnar', 'deanne@example.com')
    theirs = await a_family_message(other.family.id)
    with pytest.raises(NotFound):
        await history.family_message(holly, theirs.id)


async def test_a_pickup_contact_sees_only_what_was_sent_to_them_and_a_guardian_without_billing_no_receipts():
    made, holly, _sam = await two_guardians()
    pickup = await Contact.create(
        family=made.family, first_name='Pat', last_name='Ager', email='pat@example.com', role=ContactRole.PICKUP
    )
    nobill = await Contact.create(
        family=made.family,
        first_name='Nia',
        last_name='Ager',
        email='nia@example.com',
        role=ContactRole.GUARDIAN_NO_BILLING,
    )
    pat = Actor(pickup.id, made.family.id, 'Ager', 'Pat Ager', 'pat@example.com', 'en')
    nia = Actor(nobill.id, made.family.id, 'Ager', 'Nia Ager', 'nia@example.com', 'en')
    family_wide = await a_family_message(made.family.id)
    async with UnitOfWork() as uow:
        to_holly = Recipient('Holly Ager', 'holly@example.com', 'en', made.family.id, holly.contact_id)
        receipt = await outbox.enqueue(uow, Channel.EMAIL, to_holly, notices.policy_request('en', 'Holly', 'x'))
        receipt.kind = 'payment_receipt'
        await receipt.save(using_db=uow.connection)
        to_pat = Recipient('Pat Ager', 'pat@example.com', 'en', made.family.id, pickup.id)
        for_pat = await outbox.enqueue(uow, Channel.EMAIL, to_pat, notices.policy_request('en', 'Pat', 'x'))

    assert {m.id for m in await history.family_messages(pat)} == {for_pat.id}
    with pytest.raises(NotFound):
        await history.family_message(pat, family_wide.id)
    assert {m.id for m in await history.family_messages(nia)} == {family_wide.id, for_pat.id}
    with pytest.raises(NotFound):
        await history.family_message(nia, receipt.id)
    assert {m.id for m in await history.family_messages(holly)} == {family_wide.id, receipt.id, for_pat.id}
