"""An account statement for a date range, as a PDF in the reader's language: the studio's logo, name and address, the
statement's date, and every entry with the balance after it.

The fonts travel with the code (assets/fonts): DejaVu Sans for Latin text and Droid Sans Fallback for
Chinese, so a statement looks the same on every machine. fpdf2 embeds only the glyphs used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF

from domain import i18n
from domain.access.actors import Actor, require_billing_access
from domain.adapters.storage import StoredFileMissing
from domain.billing import ledger
from domain.errors import ValidationFailed
from domain.i18n import N_
from domain.models import Family, StudioSettings
from domain.photos import logo
from domain.studio import settings

FONTS = Path(__file__).resolve().parents[2] / 'assets' / 'fonts'
LONGEST = dt.timedelta(days=3660)
LOGO_HEIGHT_MM = 16


@dataclass(frozen=True)
class StatementRange:
    start: dt.date
    end: dt.date

    @classmethod
    def parse(cls, start: str, end: str) -> StatementRange:
        errors = {}
        days = {}
        for field, typed in (('start', start), ('end', end)):
            try:
                days[field] = dt.date.fromisoformat(typed.strip())
            except ValueError:
                errors[field] = N_('Enter the date as year-month-day')
        if not errors and days['end'] < days['start']:
            errors['end'] = N_('The end date must be on or after the start date')
        elif not errors and days['end'] - days['start'] > LONGEST:
            errors['end'] = N_('A statement covers at most ten years')
        if errors:
            raise ValidationFailed(errors)
        return cls(days['start'], days['end'])


def _moment(day: dt.date) -> dt.datetime:
    """Midnight at the studio, in UTC, like the stored times."""
    return dt.datetime.combine(day, dt.time.min, ZoneInfo(settings.current().timezone)).astimezone(dt.UTC)


async def family_statement(actor: Actor, period: StatementRange, language: str) -> bytes:
    """The statement a parent downloads: their own family's, if their role sees payments."""
    await require_billing_access(actor)
    return await statement_pdf(actor.family_id, period, language)


async def _logo() -> bytes | None:
    """The studio's logo for the statement's top, when it has one (a statement is still made without it)."""
    try:
        return await logo.logo_bytes()
    except StoredFileMissing:
        return None


async def statement_pdf(family_id: int, period: StatementRange, language: str) -> bytes:
    family = await Family.get(id=family_id)
    start, end = _moment(period.start), _moment(period.end + dt.timedelta(days=1))
    before = ledger.balance_of(await ledger.ledger(family_id, end=start))
    lines = list(reversed(await ledger.ledger(family_id, start=start, end=end)))
    closing = before + sum((line.effect for line in lines), Decimal('0'))
    studio = settings.current()
    row = await StudioSettings.first()
    address = [part.strip() for part in (row.address if row else '').splitlines() if part.strip()]

    def t(message: str) -> str:
        return i18n.gettext(language, message)

    def money(amount: Decimal) -> str:
        return i18n.format_money(amount, studio.currency, language, studio.phone_region)

    def day(value: dt.date) -> str:
        return i18n.format_day(value, language, studio.phone_region)

    pdf = FPDF(format='A4')
    pdf.set_title(t(N_('Account statement')))
    pdf.add_font('body', '', str(FONTS / 'DejaVuSans.ttf'))
    pdf.add_font('body', 'B', str(FONTS / 'DejaVuSans-Bold.ttf'))
    pdf.add_font('cjk', '', str(FONTS / 'DroidSansFallbackFull.ttf'))
    pdf.set_fallback_fonts(['cjk'], exact_match=False)
    pdf.add_page()
    picture = await _logo()
    if picture is not None:
        pdf.image(BytesIO(picture), x=pdf.l_margin, y=pdf.t_margin, h=LOGO_HEIGHT_MM)
        pdf.set_y(pdf.t_margin + LOGO_HEIGHT_MM + 2)
    pdf.set_font('body', 'B', 16)
    pdf.cell(0, 10, studio.name, new_x='LMARGIN', new_y='NEXT')
    pdf.set_font('body', '', 10)
    for part in address:
        pdf.cell(0, 5, part, new_x='LMARGIN', new_y='NEXT')
    pdf.ln(3)
    pdf.set_font('body', '', 12)
    pdf.cell(0, 8, t(N_('Account statement')) + ': ' + family.name, new_x='LMARGIN', new_y='NEXT')
    pdf.cell(0, 8, t(N_('Statement date: {date}')).format(date=day(settings.today())), new_x='LMARGIN', new_y='NEXT')
    pdf.cell(
        0,
        8,
        t(N_('{start} to {end}')).format(start=day(period.start), end=day(period.end)),
        new_x='LMARGIN',
        new_y='NEXT',
    )
    pdf.ln(4)
    pdf.set_font('body', '', 10)
    widths = (28, 68, 24, 30, 30)
    with pdf.table(
        col_widths=widths, text_align=('LEFT', 'LEFT', 'LEFT', 'RIGHT', 'RIGHT'), first_row_as_headings=True
    ) as table:
        table.row([t(N_('Date')), t(N_('Description')), t(N_('Type')), t(N_('Amount')), t(N_('Balance'))])
        table.row(['', t(N_('Balance at start')), '', '', money(before)])
        running = before
        for line in lines:
            running += line.effect
            posted = line.posted_at.astimezone(ZoneInfo(studio.timezone)).date()
            described = ledger.described(line.description, language)
            table.row([day(posted), described, t(ledger.KIND_NAMES[line.kind]), money(line.effect), money(running)])
        table.row(['', t(N_('Balance at end')), '', '', money(closing)])
    pdf.ln(4)
    pdf.set_font('body', 'B', 12)
    label = t(N_('Balance due')) if closing >= 0 else t(N_('Credit on account'))
    pdf.cell(0, 8, f'{label}: {money(abs(closing))}', new_x='LMARGIN', new_y='NEXT')
    return bytes(pdf.output())
