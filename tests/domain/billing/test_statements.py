"""The account statement PDF: the studio and its address, the statement's date, a running balance, each language."""

import datetime as dt
import re
import zlib
from decimal import Decimal

import pytest

from domain.access.actors import StaffActor
from domain.adapters.sandbox import SandboxGateway
from domain.billing import ledger, payments, statements
from domain.billing.payments import TypedCard
from domain.errors import ValidationFailed
from domain.models import LedgerKind
from domain.studio import settings
from tests.domain.billing.pdf_text import pdf_lines
from tests.factories import make_family, make_staff, signed_in

pytestmark = pytest.mark.usefixtures('database')

VISA = TypedCard('4242 4242 4242 4242', '12/30', '123')


@pytest.fixture(autouse=True)
def sandbox():
    payments.configure(SandboxGateway())


async def a_months_account():
    """A fee, a card payment and a credit, all in the last month."""
    made = await make_family('Gunnar', 'dgunnar@example.com')
    await ledger.post_entry(made.family.id, LedgerKind.FEE, Decimal('115.95'), 'Swim Level 2 — November')
    parent = await signed_in('dgunnar@example.com')
    await payments.pay(parent, payments.new_checkout_key(), '15.95', new_card=VISA)
    staff = await make_staff()
    desk = StaffActor(staff.id, staff.name, staff.email, staff.role)
    await ledger.post_by_staff(desk, made.family.id, 'credit', '20', 'Sibling discount')
    today = settings.today()
    return made, statements.StatementRange.parse((today - dt.timedelta(days=30)).isoformat(), today.isoformat())


def row_after(lines: list[str], description: str, cells: int) -> list[str]:
    at = lines.index(description)
    return lines[at : at + cells]


async def test_a_statement_shows_the_studios_address_its_date_and_the_balance_after_each_entry():
    await settings.change(address='12 Main Street\n  \nSpringfield, IL 62701\n')
    made, period = await a_months_account()
    lines = pdf_lines(await statements.statement_pdf(made.family.id, period, 'en'))
    today = settings.today()
    assert lines[lines.index('Kinroll Studio') + 1 :][:2] == ['12 Main Street', 'Springfield, IL 62701']
    assert f'Statement date: {today:%b} {today.day}, {today.year}' in lines
    assert row_after(lines, 'Date', 5) == ['Date', 'Description', 'Type', 'Amount', 'Balance']
    assert row_after(lines, 'Balance at start', 2) == ['Balance at start', '$0.00']
    assert row_after(lines, 'Swim Level 2 — November', 4) == ['Swim Level 2 — November', 'Fee', '$115.95', '$115.95']
    assert row_after(lines, 'Card payment — Visa 4242', 4) == [
        'Card payment — Visa 4242',
        'Payment',
        '-$15.95',
        '$100.00',
    ]
    assert row_after(lines, 'Sibling discount', 4) == ['Sibling discount', 'Credit', '-$20.00', '$80.00']
    assert row_after(lines, 'Balance at end', 2) == ['Balance at end', '$80.00']
    assert 'Balance due: $80.00' in lines


async def test_the_running_balance_starts_from_what_was_owed_before_the_period():
    made = await make_family('Gunnar', 'dgunnar@example.com')
    long_ago = dt.datetime(2025, 1, 15, 18, tzinfo=dt.UTC)
    await ledger.post_entry(made.family.id, LedgerKind.FEE, Decimal('50'), 'Registration 2025', posted_at=long_ago)
    await ledger.post_entry(made.family.id, LedgerKind.FEE, Decimal('25'), 'Costume')
    today = settings.today()
    period = statements.StatementRange.parse((today - dt.timedelta(days=7)).isoformat(), today.isoformat())
    lines = pdf_lines(await statements.statement_pdf(made.family.id, period, 'en'))
    assert 'Registration 2025' not in lines
    assert row_after(lines, 'Balance at start', 2) == ['Balance at start', '$50.00']
    assert row_after(lines, 'Costume', 4) == ['Costume', 'Fee', '$25.00', '$75.00']


async def test_a_statement_in_spanish_for_a_us_studio_writes_money_and_dates_as_es_us_does():
    made, period = await a_months_account()
    lines = pdf_lines(await statements.statement_pdf(made.family.id, period, 'es'))
    assert row_after(lines, 'Sibling discount', 4) == ['Sibling discount', 'Crédito', '-$20.00', '$80.00']
    start = period.start
    months = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic']
    assert any(f'{start.day} {months[start.month - 1]} {start.year}' in line for line in lines)


async def test_a_statement_for_a_date_range_in_each_language():
    made, period = await a_months_account()
    pdfs = {
        language: await statements.statement_pdf(made.family.id, period, language)
        for language in ('en', 'es', 'zh_Hans')
    }
    assert all(pdf.startswith(b'%PDF') and len(pdf) > 1000 for pdf in pdfs.values())
    assert '<8d26>' in pdf_glyph_codes(pdfs['zh_Hans'])  # 账, of 账户对账单 ("account statement")
    assert '<8d26>' not in pdf_glyph_codes(pdfs['en'])
    assert '<00f3>' in pdf_glyph_codes(pdfs['es'])  # ó, of "Descripción"
    assert any(line.startswith('账户对账单') for line in pdf_lines(pdfs['zh_Hans']))


def test_a_range_must_run_forwards():
    with pytest.raises(ValidationFailed) as refused:
        statements.StatementRange.parse('2026-05-01', '2026-04-01')
    assert refused.value.errors == {'end': 'The end date must be on or after the start date'}


def pdf_glyph_codes(pdf: bytes) -> str:
    """The Unicode code points a PDF's fonts map glyphs to (their ToUnicode tables), lower-case hex."""
    text = []
    for stream in re.findall(rb'stream\r?\n(.*?)\r?\nendstream', pdf, re.S):
        try:
            text.append(zlib.decompress(stream).decode('latin-1'))
        except zlib.error:  # written uncompressed
            text.append(stream.decode('latin-1'))
    return '\n'.join(text).lower()
