"""What people type, cleaned before it is stored: text that is not text, and postal codes of the studio's country
(issue 13, point 17; issue 14, point 15)."""

import unicodedata

import pytest

from domain.errors import ValidationFailed
from domain.family import contacts, participants
from domain.family.contacts import ContactForm
from domain.family.participants import ParticipantForm
from domain.models import Contact, Participant, PortalEvent
from domain.studio import settings
from domain.validation import HIDDEN_CHARACTERS, Cleaner, for_the_log, storable
from tests.factories import make_family, signed_in

pytestmark = pytest.mark.usefixtures('database')

REQUIRED = 'This field is required'
NOT_TEXT = {
    'a lone zero-width space': ('\u200b', REQUIRED),
    'nothing but joiners and a byte order mark': ('\u200c\u200d\ufeff\u2060 ', REQUIRED),
    'a right-to-left override': ('Leo\u202eevil', HIDDEN_CHARACTERS),
    'an isolate': ('Leo\u2066x\u2069', HIDDEN_CHARACTERS),
    'a right-to-left mark': ('Leo\u200f', HIDDEN_CHARACTERS),
    'a bell, a NUL and an escape': ('Le\x07o\x00\x1b', HIDDEN_CHARACTERS),
    'a C1 control': ('Leo\x85', HIDDEN_CHARACTERS),
    'half a surrogate pair': ('Leo\ud800', HIDDEN_CHARACTERS),
}


async def participant_form(child: Participant, **changes) -> ParticipantForm:
    """A form as the page loads it now, with `changes` typed into it."""
    fresh = await Participant.get(id=child.id)
    return ParticipantForm(**{**ParticipantForm.of(fresh).__dict__, **changes})


async def contact_form(contact: Contact, **changes) -> ContactForm:
    """A form as the page loads it now, with `changes` typed into it."""
    fresh = await Contact.get(id=contact.id)
    return ContactForm(**{**ContactForm.of(fresh).__dict__, **changes})


async def log_lines() -> list[str]:
    return [event.message for event in await PortalEvent.all().order_by('id')]


@pytest.mark.parametrize('typed, message', NOT_TEXT.values(), ids=NOT_TEXT.keys())
async def test_a_name_that_is_not_text_is_refused_beside_the_field_and_nothing_is_saved(typed, message):
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    child = made.children[0]
    before = await log_lines()
    with pytest.raises(ValidationFailed) as refused:
        await participants.update_participant(
            actor, child.id, await participant_form(child, first_name=typed, allergies='Bee stings')
        )
    assert refused.value.errors == {'first_name': message}
    stored = await Participant.get(id=child.id)
    assert (stored.first_name, stored.allergies) == ('Barbie', '')
    assert await log_lines() == before


@pytest.mark.parametrize('field', ['last_name', 'address1', 'city', 'relationship'])
@pytest.mark.parametrize('typed', ['Leo\u202eevil', 'Le\x07o\x00\x1b'], ids=['override', 'controls'])
async def test_a_contact_with_hidden_characters_is_refused_and_nothing_is_saved(field, typed):
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    before = await log_lines()
    with pytest.raises(ValidationFailed) as refused:
        form = await contact_form(made.parent, state='IL', **{field: typed})
        await contacts.update_contact(actor, made.parent.id, form)
    assert refused.value.errors == {field: HIDDEN_CHARACTERS}
    stored = await Contact.get(id=made.parent.id)
    assert (stored.state, getattr(stored, field)) == ('', getattr(made.parent, field))
    assert await log_lines() == before


async def test_a_required_contact_name_of_only_invisible_characters_is_empty():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    with pytest.raises(ValidationFailed) as refused:
        await contacts.update_contact(actor, made.parent.id, await contact_form(made.parent, first_name='\u200b\u200b'))
    assert refused.value.errors == {'first_name': REQUIRED}
    assert (await Contact.get(id=made.parent.id)).first_name == 'Holly'


@pytest.mark.parametrize(
    'typed, stored',
    [
        ('Zoe\u0308', 'Zoë'),  # typed with a combining diaeresis: kept composed, as the name's one letter
        ("O'Brien", "O'Brien"),
        ('王小明', '王小明'),
        ('\u0639\u0644\u06cc\u200c\u0631\u0636\u0627', '\u0639\u0644\u06cc\u200c\u0631\u0636\u0627'),  # Persian ZWNJ
        ('\u0915\u094d\u200d\u0937', '\u0915\u094d\u200d\u0937'),  # Devanagari with a zero-width joiner
        ('\u200bLeo\ufeff ', 'Leo'),  # invisible characters at the ends are dropped
        ('  Mary \t Ann ', 'Mary Ann'),
    ],
)
async def test_real_names_are_kept_composed(typed, stored):
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    child = made.children[0]
    await participants.update_participant(actor, child.id, await participant_form(child, first_name=typed))
    saved = (await Participant.get(id=child.id)).first_name
    assert saved == stored and unicodedata.is_normalized('NFC', saved)


async def test_notes_keep_their_lines_and_tabs_but_not_control_characters():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    child = made.children[0]
    typed = 'Peanuts\r\n\tEpiPen in the bag\rCall mum'
    await participants.update_participant(actor, child.id, await participant_form(child, allergies=typed))
    assert (await Participant.get(id=child.id)).allergies == 'Peanuts\n\tEpiPen in the bag\nCall mum'
    with pytest.raises(ValidationFailed) as refused:
        form = await participant_form(child, medical_notes='Asthma\x1b[2J')
        await participants.update_participant(actor, child.id, form)
    assert refused.value.errors == {'medical_notes': HIDDEN_CHARACTERS}
    assert (await Participant.get(id=child.id)).medical_notes == ''


def test_a_note_of_only_invisible_characters_is_empty():
    clean = Cleaner()
    assert clean.text('notes', '\u200b\n\u2060\t') == '' and not clean.errors
    assert clean.text('notes', '\u200b', required=True) == '' and clean.errors == {'notes': REQUIRED}


def test_what_a_log_may_quote_is_short_and_storable():
    assert for_the_log('a' * 900_000) == 'a' * 60 + '…'
    assert for_the_log('Le\x00o\u202e') == 'Le\ufffdo\ufffd'
    assert storable('holly@example.com', max_length=254)
    assert not storable('a' * 255, max_length=254) and not storable('a\x00b', max_length=254)


@pytest.mark.parametrize(
    'country, typed, stored',
    [
        ('US', ' 62701 ', '62701'),
        ('US', '627011234', '62701-1234'),
        ('US', '６２７０１', '62701'),  # full-width digits, as a Chinese keyboard types them
        ('CA', 'k1a0b1', 'K1A 0B1'),
        ('GB', 'sw1a1aa', 'SW1A 1AA'),
        ('GB', 'M1 1AE', 'M1 1AE'),
        ('AU', '2000', '2000'),
        ('NL', '1234 ab', '1234 AB'),  # a country without a pattern of its own: letters, digits, spaces, hyphens
        ('US', '', ''),
    ],
)
def test_postal_codes_are_written_as_the_country_writes_them(country, typed, stored):
    clean = Cleaner()
    assert clean.postal_code('postal_code', typed, country=country) == stored
    assert not clean.errors


@pytest.mark.parametrize(
    'country, typed, message',
    [
        ('US', '6270', 'Enter a ZIP code of 5 digits (or 5+4), like 62701'),
        ('US', 'SW1A 1AA', 'Enter a ZIP code of 5 digits (or 5+4), like 62701'),
        ('US', '٦٢٧٠١', 'Enter a ZIP code of 5 digits (or 5+4), like 62701'),  # Arabic-Indic digits
        ('CA', 'D1A 0B1', 'Enter a postal code like K1A 0B1'),  # no Canadian code starts with D
        ('GB', '62701', 'Enter a postcode like SW1A 1AA'),
        ('AU', '200', 'Enter a postcode of 4 digits, like 2000'),
        ('NL', '"><i>62701', 'Enter a postal code of letters and digits'),
        ('NL', '1' * 900_000, 'Enter a postal code of letters and digits'),
    ],
)
def test_a_postal_code_not_of_the_studios_country_is_refused(country, typed, message):
    clean = Cleaner()
    clean.postal_code('postal_code', typed, country=country)
    assert clean.errors == {'postal_code': message}


async def test_a_contacts_postal_code_is_checked_for_the_studios_country():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    with pytest.raises(ValidationFailed) as refused:
        await contacts.update_contact(actor, made.parent.id, await contact_form(made.parent, postal_code='SW1A 1AA'))
    assert refused.value.errors == {'postal_code': 'Enter a ZIP code of 5 digits (or 5+4), like 62701'}
    assert (await Contact.get(id=made.parent.id)).postal_code == ''
    await contacts.update_contact(actor, made.parent.id, await contact_form(made.parent, postal_code='62701 1234'))
    assert (await Contact.get(id=made.parent.id)).postal_code == '62701-1234'

    await settings.change(phone_region='GB')
    with pytest.raises(ValidationFailed) as refused:
        await contacts.update_contact(actor, made.parent.id, await contact_form(made.parent, postal_code='62701'))
    assert refused.value.errors == {'postal_code': 'Enter a postcode like SW1A 1AA'}
    await contacts.update_contact(actor, made.parent.id, await contact_form(made.parent, postal_code='sw1a1aa'))
    assert (await Contact.get(id=made.parent.id)).postal_code == 'SW1A 1AA'
