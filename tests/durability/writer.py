"""A simulated parent saving changes and payments as fast as it can, for the crash test.

It runs the same services the pages call, on a SQLite file with the production settings, and prints
`ACK …` only after a service has returned: what a parent would have seen confirmed on screen.
"""

import asyncio
import datetime as dt
import os
import secrets
import sys
from decimal import Decimal

from domain import db
from domain.access import passwords, sign_in
from domain.billing import ledger, payments
from domain.config import Config, sqlite_url
from domain.family.participants import ParticipantForm
from domain.models import Contact, Family, LedgerKind, Participant, SavedCard
from domain.studio import settings

EMAIL, PASSWORD = 'crash@example.com', 'crash test password'


async def setup() -> None:
    family = await Family.create(name='Crash')
    await Contact.create(
        family=family,
        first_name='Casey',
        last_name='Crash',
        email=EMAIL,
        is_primary=True,
        password_hash=await passwords.hash_password(PASSWORD),
    )
    await Participant.create(family=family, first_name='Kim', last_name='Crash', birthdate=dt.date(2015, 1, 1))
    await ledger.post_entry(family.id, LedgerKind.FEE, Decimal('100000'), 'Enough to pay against')


async def write(run: str) -> None:
    _token, actor = await sign_in.sign_in_parent(EMAIL, PASSWORD)
    child = await Participant.get(family_id=actor.family_id)
    card = await SavedCard.get_or_none(family_id=actor.family_id) or await payments.add_card(
        actor, payments.TypedCard('4242424242424242', '12/30', '123')
    )
    print('READY', flush=True)
    step = 0
    while True:
        step += 1
        value = f'{run}-{step}'
        await payments_or_change(actor, child, card, value, step)


async def payments_or_change(actor, child, card, value: str, step: int) -> None:
    if step % 2:
        current = await child.__class__.get(id=child.id)  # a read, as a page would do first
        from domain.family import participants

        form = ParticipantForm(
            'Kim', 'Crash', dt.date(2015, 1, 1), 'unspecified', allergies=value, version=current.version
        )
        await participants.update_participant(actor, child.id, form)
        print(f'ACK participant {value}', flush=True)
    else:
        key = f'crash-{value}-{secrets.token_hex(4)}'
        payment = await payments.pay(actor, key, '1.00', card_id=card.id)
        print(f'ACK payment {payment.id} {payment.status.value} {key}', flush=True)


async def main(path: str, mode: str, run: str) -> None:
    os.environ['PORTAL_DATABASE_URL'] = sqlite_url(path)
    config = Config.from_env(demo=True)
    await db.open_database(config.database_url)
    await settings.ensure_settings(config)
    payments.configure(payments.SandboxGateway())
    if mode == 'setup':
        await setup()
        await db.close_database()
        return
    await write(run)


if __name__ == '__main__':
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else '0'))
