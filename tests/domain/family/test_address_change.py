"""A sign-in email or mobile changes only when proven, and belongs to one contact (issue 14, points 2 and 3;
issue 13, point 19)."""

import asyncio
import re

import pytest

from domain import clock
from domain.access import codes, sign_in
from domain.access.actors import AddressShared, SignedIn
from domain.family import address_change, contacts
from domain.family.contacts import ContactForm
from domain.messages import outbox
from domain.models import Contact, PortalEvent
from tests.factories import PASSWORD, make_family, signed_in

pytestmark = pytest.mark.usefixtures('database')


def form_of(contact: Contact, **changes) -> ContactForm:
    return ContactForm(**{**ContactForm.of(contact).__dict__, **changes})


async def sent_code(delivered, address: str) -> str:
    await outbox.deliver_due()
    mail, sms = delivered
    texts = [m.text for m in mail.sent if address == m.to_address] + [text for to, text in sms.sent if to == address]
    return re.search(r'\b(\d{6})\b', texts[-1]).group(1)


async def test_a_new_sign_in_email_takes_effect_only_with_the_code_and_the_old_one_is_told(delivered):
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    saved = await contacts.update_contact(actor, made.parent.id, form_of(made.parent, email='hooly@example.com'))
    assert (await Contact.get(id=made.parent.id)).email == 'holly@example.com'  # the typo signs nobody in yet
    [proof] = saved.proving
    with pytest.raises(codes.CodeRejected):
        await address_change.confirm(actor, proof.id, '000000')
    await address_change.confirm(actor, proof.id, await sent_code(delivered, 'hooly@example.com'))
    assert (await Contact.get(id=made.parent.id)).email == 'hooly@example.com'
    await outbox.deliver_due()
    told = [m for m in delivered[0].sent if m.to_address == 'holly@example.com'][-1]
    assert 'Your portal email was changed to hooly@example.com. If this was not you, call the studio.' in told.text
    assert await PortalEvent.filter(kind='address_changed').exists()
    await sign_in.sign_in_parent('hooly@example.com', PASSWORD)


async def test_a_proven_mobile_changes_only_with_the_code_sent_to_the_new_number(delivered):
    made = await make_family('Ager', 'holly@example.com')
    await Contact.filter(id=made.parent.id).update(mobile_phone='+13125550141', mobile_verified=True)
    me = await Contact.get(id=made.parent.id)
    actor = await signed_in('holly@example.com')
    saved = await contacts.update_contact(actor, me.id, form_of(me, mobile_phone='312 555 0199'))
    assert (await Contact.get(id=me.id)).mobile_phone == '+13125550141'
    await address_change.confirm(actor, saved.proving[0].id, await sent_code(delivered, '+13125550199'))
    stored = await Contact.get(id=me.id)
    assert (stored.mobile_phone, stored.mobile_verified) == ('+13125550199', True)
    await outbox.deliver_due()
    assert [text for to, text in delivered[1].sent if to == '+13125550141'][-1].startswith(
        'Your portal mobile number was changed to +1 312-555-0199.'
    )


async def test_a_contact_added_with_another_familys_email_gets_the_same_answer_and_no_sign_in():
    await make_family('Gunnar', 'deanne@example.com')
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    taken = await contacts.add_contact(
        actor, ContactForm('Dee', 'Gunnar', email='deanne@example.com', can_pick_up=True)
    )
    free = await contacts.add_contact(actor, ContactForm('Ray', 'Ager', email='ray@example.com', can_pick_up=True))
    for added, address in ((taken, 'deanne@example.com'), (free, 'ray@example.com')):
        assert (added.email, added.pending_email, added.family_id) == (None, address, made.family.id)
        assert ContactForm.of(added).email == address
    assert (await Contact.get(email='deanne@example.com')).first_name == 'Holly'  # Deanne still signs in alone


async def test_an_added_contact_signs_in_by_the_code_to_their_address_which_then_is_theirs(delivered):
    await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    ray = await contacts.add_contact(actor, ContactForm('Ray', 'Ager', email='ray@example.com', can_pick_up=True))
    with pytest.raises(sign_in.SignInFailed):  # a typed address is no password sign-in
        await sign_in.sign_in_parent('ray@example.com', PASSWORD)
    sent = await codes.send_code('ray@example.com')
    signed = await codes.enter_code(sent.attempt_id, await sent_code(delivered, 'ray@example.com'))
    assert isinstance(signed, SignedIn) and signed.actor.contact_id == ray.id


async def test_an_address_two_contacts_share_signs_neither_in_and_staff_are_told(delivered):
    first = await make_family('Ager', 'holly@example.com')
    second = await make_family('Gunnar', 'deanne@example.com')
    for made in (first, second):  # data from before numbers were proven: both hold it
        await Contact.filter(id=made.parent.id).update(mobile_phone='+13125550141', mobile_verified=True)
    with pytest.raises(AddressShared):
        await codes.send_code('312 555 0141')
    assert await PortalEvent.filter(kind='sign_in_shared').exists()
    assert delivered[1].sent == []


async def test_a_typed_number_does_not_take_over_another_familys_proven_one(delivered):
    owner = await make_family('Gunnar', 'deanne@example.com')
    await Contact.filter(id=owner.parent.id).update(mobile_phone='+13125550141', mobile_verified=True)
    await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    await contacts.add_contact(actor, ContactForm('Dee', 'G', mobile_phone='312 555 0141', can_pick_up=True))
    sent = await codes.send_code('312 555 0141')
    signed = await codes.enter_code(sent.attempt_id, await sent_code(delivered, '+13125550141'))
    assert signed.actor.contact_id == owner.parent.id


async def test_two_families_proving_one_new_email_at_once_give_it_to_one(delivered):
    first = await make_family('Ager', 'holly@example.com')
    second = await make_family('Gunnar', 'deanne@example.com')
    proofs = []
    for made, email in ((first, 'holly@example.com'), (second, 'deanne@example.com')):
        actor = await signed_in(email)
        saved = await contacts.update_contact(actor, made.parent.id, form_of(made.parent, email='shared@example.com'))
        proofs.append((actor, saved.proving[0].id))
    await outbox.deliver_due()
    codes_sent = [
        re.search(r'\b(\d{6})\b', m.text).group(1) for m in delivered[0].sent if m.to_address == 'shared@example.com'
    ]
    results = await asyncio.gather(
        *(address_change.confirm(actor, proof, code) for (actor, proof), code in zip(proofs, codes_sent, strict=True)),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ['AddressNotAvailable', 'Contact']
    assert await Contact.filter(email='shared@example.com').count() == 1
    assert await PortalEvent.filter(kind='address_change_refused').exists()


async def test_a_code_for_a_new_address_expires(delivered):
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    saved = await contacts.update_contact(actor, made.parent.id, form_of(made.parent, email='new@example.com'))
    code = await sent_code(delivered, 'new@example.com')
    with clock.pinned(clock.now() + codes.CODE_LIFETIME), pytest.raises(codes.CodeRejected):
        await address_change.confirm(actor, saved.proving[0].id, code)
    assert (await Contact.get(id=made.parent.id)).email == 'holly@example.com'
