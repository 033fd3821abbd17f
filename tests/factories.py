"""Families to test with, made directly in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.access import actors, passwords, sign_in
from domain.models import Contact, Family, FamilyStatus, Participant

PASSWORD = 'correct horse battery'


@dataclass
class MadeFamily:
    family: Family
    parent: Contact
    children: list[Participant]


async def make_family(
    name: str,
    email: str,
    *,
    status: FamilyStatus = FamilyStatus.ACTIVE,
    children: tuple[str, ...] = ('Barbie',),
    allow_login: bool = True,
    password: str | None = PASSWORD,
) -> MadeFamily:
    family = await Family.create(name=name, status=status)
    parent = await Contact.create(
        family=family,
        first_name='Holly',
        last_name=name,
        email=email,
        is_primary=True,
        allow_login=allow_login,
        password_hash=await passwords.hash_password(password) if password else None,
    )
    made = [
        await Participant.create(family=family, first_name=child, last_name=name, birthdate=dt.date(2012, 3, 4))
        for child in children
    ]
    return MadeFamily(family, parent, made)


async def signed_in(email: str, password: str = PASSWORD) -> actors.Actor:
    _token, actor = await sign_in.sign_in_parent(email, password, '203.0.113.9')
    return actor


STAFF_PASSWORD = 'front desk password'


async def make_staff(
    email: str = 'desk@example.com', name: str = 'Front Desk', role: str = 'front_desk', *, enrolled: bool = True
):
    from domain.access import staff_accounts
    from domain.models import StaffRole, StaffUser

    made = await staff_accounts.create_staff(email, name, STAFF_PASSWORD, StaffRole(role))
    if enrolled:
        await StaffUser.filter(id=made.id).update(totp_confirmed=True)
    return made


def authenticator_secret(staff_user) -> str:
    """The staff member's authenticator secret in clear, as their phone holds it (the database keeps it sealed)."""
    from domain.access import sealed_secrets

    return sealed_secrets.unseal(staff_user.totp_sealed)


def totp_now(staff_user) -> str:
    import pyotp

    return pyotp.TOTP(authenticator_secret(staff_user)).now()


async def code_from(delivered) -> str:
    """The code in the newest message, whether it went by email or by text (see the `delivered` fixture)."""
    import re

    from domain.messages import outbox
    from domain.models import Channel, OutboxMessage

    await outbox.deliver_due()
    mail, sms = delivered
    newest = (await OutboxMessage.all().order_by('-id').first()).channel
    text = sms.sent[-1][1] if newest == Channel.SMS else mail.sent[-1].text
    return re.search(r'\b(\d{6})\b', text).group(1)
