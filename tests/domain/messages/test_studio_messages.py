"""Messages staff write to families: a class message reaches its families only; mass email leaves out who opted
out, a message to one family does not; a text goes to mobiles; bad input or a failure midway queues nothing;
the staff's words are never translated or formatted; the sent list counts each message's copies."""

import pytest

from domain import clock
from domain.access.actors import Actor, PermissionDenied, StaffActor
from domain.classes import enrolment
from domain.classes.audiences import Audience
from domain.errors import ValidationFailed
from domain.family import contacts
from domain.messages import history, outbox, studio_messages
from domain.models import (
    AudienceKind,
    Contact,
    DeliveryStatus,
    OutboxMessage,
    PortalEvent,
    StaffAuditEntry,
    StudioMessage,
    StudioMessageChannel,
)
from tests.domain.classes.making import BEFORE_TERM, add_class, family
from tests.factories import make_staff

pytestmark = pytest.mark.usefixtures('database')

EMAIL, TEXT = StudioMessageChannel.EMAIL, StudioMessageChannel.TEXT


async def studio(admin, term):
    """Ballet 2 with the Ager family (Holly and a second guardian, Sam), and the Gunnar family not in it."""
    ballet = await add_class(admin, term)
    ager, (ava,) = await family('Ager')
    gunnar, _children = await family('Gunnar')
    await Contact.filter(id=ager.contact_id).update(mobile_phone='+13125550101')
    sam = await Contact.create(
        family_id=ager.family_id, first_name='Sam', last_name='Ager', email='sam@example.com', preferred_language='es'
    )
    with clock.pinned(BEFORE_TERM):
        await enrolment.enrol_by_staff(admin, ava.id, ballet.id)
    return ballet, ager, gunnar, sam


async def addresses(message_id: int) -> set[str]:
    return set(await OutboxMessage.filter(studio_message_id=message_id).values_list('to_address', flat=True))


async def test_a_class_message_reaches_the_families_enrolled_in_it_only(admin, term):
    ballet, ager, _gunnar, sam = await studio(admin, term)
    audience = Audience(AudienceKind.CLASS, ballet.id)
    reach = await studio_messages.preview(admin, channel=EMAIL, subject='Recital', body='Hi', audience=audience)
    assert (reach.families, reach.contacts) == (1, 2)
    message = await studio_messages.send(
        admin, channel=EMAIL, subject='Recital', body='Costumes on Friday.', audience=audience
    )
    assert (message.mass, message.recipients) == (True, 2)
    assert await addresses(message.id) == {'ager@example.com', 'sam@example.com'}
    copy = await OutboxMessage.get(studio_message_id=message.id, to_address='sam@example.com')
    assert (copy.kind, copy.family_id, copy.contact_id, copy.language) == (
        'studio_message',
        ager.family_id,
        sam.id,
        'es',
    )
    entry = await StaffAuditEntry.get(action='studio_message_sent')
    assert entry.target == 'Studio email "Recital" to Class: Ballet 2' and entry.new_values['recipients'] == 2


async def test_mass_email_leaves_out_who_opted_out_but_a_message_to_one_family_does_not(admin, term):
    _ballet, ager, _gunnar, sam = await studio(admin, term)
    await contacts.set_mass_email_opt_out(Actor(sam.id, ager.family_id, 'Ager', 'Sam Ager', sam.email, 'es'), True)
    everyone = await studio_messages.send(
        admin, channel=EMAIL, subject='Recital', body='Saturday.', audience=Audience.everyone()
    )
    assert await addresses(everyone.id) == {'ager@example.com', 'gunnar@example.com'}
    one = await studio_messages.send(
        admin,
        channel=EMAIL,
        subject='Your account',
        body='Hello.',
        audience=Audience(AudienceKind.FAMILY, ager.family_id),
    )
    assert one.mass is False and await addresses(one.id) == {'ager@example.com', 'sam@example.com'}
    mass_copy = await OutboxMessage.get(studio_message_id=everyone.id, to_address='ager@example.com')
    own_copy = await OutboxMessage.get(studio_message_id=one.id, to_address='ager@example.com')
    assert 'turn off mass email' in mass_copy.body_text and 'turn off mass email' not in own_copy.body_text


async def test_a_text_goes_to_mobile_numbers_only(admin, term):
    ballet, _ager, _gunnar, _sam = await studio(admin, term)
    message = await studio_messages.send(
        admin, channel=TEXT, subject='', body='No class today: snow.', audience=Audience(AudienceKind.CLASS, ballet.id)
    )
    (copy,) = await OutboxMessage.filter(studio_message_id=message.id)
    assert (copy.channel, copy.to_address, copy.subject) == ('sms', '+13125550101', '')
    assert copy.body_text == 'Kinroll Studio: No class today: snow.'


async def test_a_text_to_a_class_without_mobiles_is_refused(admin, term):
    await studio(admin, term)
    lonely = await add_class(admin, term, 'Jazz 1')
    with pytest.raises(ValidationFailed) as refused:
        await studio_messages.send(
            admin, channel=TEXT, subject='', body='Hi', audience=Audience(AudienceKind.CLASS, lonely.id)
        )
    assert refused.value.errors == {'audience': studio_messages.NOBODY_BY_TEXT}
    assert not await StudioMessage.exists()


@pytest.mark.parametrize(
    'subject, body, errors',
    [
        ('', 'Body', {'subject': 'This field is required'}),
        ('x' * 201, 'Body', {'subject': 'This is too long'}),
        ('Subject', '  ', {'body': 'This field is required'}),
        ('Subject', 'x' * 10_001, {'body': 'This is too long'}),
    ],
)
async def test_nothing_is_queued_when_the_message_is_refused(admin, term, subject, body, errors):
    await studio(admin, term)
    with pytest.raises(ValidationFailed) as refused:
        await studio_messages.send(admin, channel=EMAIL, subject=subject, body=body, audience=Audience.everyone())
    assert refused.value.errors == errors
    assert not await StudioMessage.exists() and not await OutboxMessage.filter(kind='studio_message').exists()


async def test_an_audience_without_its_id_is_refused(admin, term):
    await studio(admin, term)
    with pytest.raises(ValidationFailed) as refused:
        await studio_messages.send(admin, channel=EMAIL, subject='S', body='B', audience=Audience(AudienceKind.CLASS))
    assert refused.value.errors == {'audience': studio_messages.CHOOSE_AUDIENCE}


async def test_a_failure_midway_leaves_no_message_and_no_copies(admin, term, monkeypatch):
    await studio(admin, term)
    queued = []
    real = outbox.enqueue

    async def third_fails(*args, **kwargs):
        queued.append(1)
        if len(queued) == 3:
            raise RuntimeError('the database went away')
        return await real(*args, **kwargs)

    monkeypatch.setattr(outbox, 'enqueue', third_fails)
    with pytest.raises(RuntimeError):
        await studio_messages.send(admin, channel=EMAIL, subject='S', body='B', audience=Audience.everyone())
    assert len(queued) == 3
    assert not await StudioMessage.exists() and not await OutboxMessage.filter(kind='studio_message').exists()
    assert not await StaffAuditEntry.filter(action='studio_message_sent').exists()


async def test_the_staffs_words_are_kept_as_typed_never_formatted_and_escaped_in_html(admin, term):
    await studio(admin, term)
    body = 'Bring {studio} shoes & 100% <b>smiles</b>\nsecond line\n\nNew paragraph'
    message = await studio_messages.send(
        admin, channel=EMAIL, subject='{name} %s <i>', body=body, audience=Audience.everyone()
    )
    copy = await OutboxMessage.get(studio_message_id=message.id, to_address='sam@example.com')
    assert copy.subject == '{name} %s <i>'
    assert copy.body_text.startswith(body)
    assert '<p>Bring {studio} shoes &amp; 100% &lt;b&gt;smiles&lt;/b&gt;<br>second line</p><p>New paragraph</p>' in (
        copy.body_html
    )
    holly = await OutboxMessage.get(studio_message_id=message.id, to_address='ager@example.com')
    assert holly.body_text.endswith(
        'You receive this because your family is a client of Kinroll Studio.\n'
        'To stop emails sent to many families, turn off mass email in the portal under You.'
    )


async def test_the_sent_list_counts_each_messages_copies_by_status(admin, term):
    ballet, _ager, _gunnar, _sam = await studio(admin, term)
    first = await studio_messages.send(
        admin, channel=EMAIL, subject='Recital', body='Saturday.', audience=Audience.everyone()
    )
    await studio_messages.send(
        admin, channel=TEXT, subject='', body='Snow day', audience=Audience(AudienceKind.CLASS, ballet.id)
    )
    await OutboxMessage.filter(studio_message_id=first.id, to_address='sam@example.com').update(
        status=DeliveryStatus.FAILED
    )
    await OutboxMessage.filter(studio_message_id=first.id, to_address='gunnar@example.com').update(
        status=DeliveryStatus.SENT
    )
    text, email = await studio_messages.sent_list()
    assert (text.channel, text.audience_name, text.recipients, text.by_status) == (
        TEXT,
        'Ballet 2',
        1,
        {DeliveryStatus.QUEUED: 1},
    )
    assert (email.subject, email.audience_name, email.recipients, email.created_by) == (
        'Recital',
        '',
        3,
        'Olga Owner',
    )
    assert email.by_status == {DeliveryStatus.QUEUED: 1, DeliveryStatus.SENT: 1, DeliveryStatus.FAILED: 1}


async def test_a_studio_message_shows_once_in_the_familys_messages_their_own_copy(admin, term):
    _ballet, ager, _gunnar, sam = await studio(admin, term)
    await studio_messages.send(admin, channel=EMAIL, subject='Recital', body='Saturday.', audience=Audience.everyone())
    (shown,) = [m for m in await history.family_messages(ager) if m.from_studio]
    assert (shown.to_address, shown.from_studio, shown.kind_label) == (
        'ager@example.com',
        True,
        'Message from the studio',
    )
    staff_sees = await history.family_messages_for_staff(ager.family_id)
    assert {m.to_address for m in staff_sees if m.from_studio} == {'ager@example.com', sam.email}


async def test_instructors_send_nothing(admin, term):
    await studio(admin, term)
    made = await make_staff('ines@example.com', 'Ines', 'instructor')
    instructor = StaffActor(made.id, made.name, made.email, made.role)
    with pytest.raises(PermissionDenied):
        await studio_messages.send(instructor, channel=EMAIL, subject='S', body='B', audience=Audience.everyone())


async def test_opting_out_is_logged_for_the_parent_and_audited_for_staff(admin, term):
    _ballet, ager, _gunnar, sam = await studio(admin, term)
    await contacts.set_mass_email_opt_out(ager, True)
    await contacts.set_mass_email_opt_out(ager, True)  # no change: no second line
    await contacts.set_mass_email_opt_out_by_staff(admin, sam.id, True)
    assert await Contact.filter(mass_email_opt_out=True).count() == 2
    lines = await PortalEvent.filter(kind='message_opt_out').order_by('id').values_list('message', flat=True)
    assert lines == [
        'Mass Email Opt-Out for Holly Ager checked',
        'Mass Email Opt-Out for Sam Ager checked by Olga Owner',
    ]
    entry = await StaffAuditEntry.get(action='message_opt_out')
    assert (entry.old_values, entry.new_values) == ({'mass_email_opt_out': False}, {'mass_email_opt_out': True})
