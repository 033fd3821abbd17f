"""The studio's legal policies and the families' agreements to them.

A policy's words are versioned: staff editing a policy add a version, and a version never changes.
An agreement keeps the exact title and text shown, the name typed, when (UTC), from where and in which
browser. The database itself refuses to change or delete either (migration 0003). Only a signed-in
parent can agree; there is no path for staff to agree on a family's behalf.
"""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata
from dataclasses import dataclass

from domain import audit, clock, db, portal_log
from domain.access.actors import Actor, PermissionDenied, StaffActor, require_admin
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.notices import policy_request
from domain.messages.outbox import Recipient
from domain.models import (
    Agreement,
    Channel,
    Contact,
    Family,
    FamilyStatus,
    Policy,
    PolicyVersion,
    StudioSettings,
)
from domain.portal_log import LogSubject
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

TICK_TO_AGREE = N_('Tick the box to agree to this policy')
TYPE_FULL_NAME = N_('Type your full name, first and last, to sign')


class PolicyChanged(DomainError):
    MESSAGE = N_('A policy was just updated. Please read it again below.')


@dataclass(frozen=True)
class Acceptance:
    """What the parent did beside one policy: ticked the box, typed their name."""

    accepted: bool
    typed_name: str


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


async def current_versions(*, everyone: bool = False) -> list[PolicyVersion]:
    """The newest version of each policy in force, in the studio's order; with `everyone`, only those every
    family agrees to (not those asked only at a class's or event's checkout)."""
    query = PolicyVersion.filter(policy__retired_at=None)
    if everyone:
        query = query.filter(policy__at_checkout=False)
    versions = await query.select_related('policy').order_by('policy_id', '-version')
    newest: dict[int, PolicyVersion] = {}
    for version in versions:
        newest.setdefault(version.policy_id, version)  # type: ignore[attr-defined]
    return sorted(newest.values(), key=lambda v: (v.policy.position, v.policy.id))


async def owed(
    family_id: int, now: dt.datetime | None = None, *, policy_ids: set[int] | None = None
) -> list[PolicyVersion]:
    """Versions this family has not agreed to, or agreed to longer ago than the renewal period: of the policies
    every family agrees to, or of the policies named (a checkout's)."""
    if policy_ids is None:
        versions = await current_versions(everyone=True)
    else:
        versions = [v for v in await current_versions() if v.policy_id in policy_ids]  # type: ignore[attr-defined]
    if not versions:
        return []
    cutoff = months_before(now or clock.now(), settings.current().policy_renewal_months)
    agreed = set(
        await Agreement.filter(
            family_id=family_id, policy_version_id__in=[v.id for v in versions], agreed_at__gte=cutoff
        ).values_list('policy_version_id', flat=True)
    )
    return [v for v in versions if v.id not in agreed]


# A current version (the newest of a policy not retired) with no agreement from the family since the cutoff.
_OWED_VERSION = (
    'SELECT 1 FROM policy_version v JOIN policy p ON p.id = v.policy_id WHERE p.retired_at IS NULL '
    'AND NOT p.at_checkout '
    'AND v.version = (SELECT MAX(w.version) FROM policy_version w WHERE w.policy_id = v.policy_id) '
    'AND NOT EXISTS (SELECT 1 FROM agreement a WHERE a.family_id = ? AND a.policy_version_id = v.id '
    'AND a.agreed_at >= ?) LIMIT 1'
)


async def owes_any(family_id: int, now: dt.datetime | None = None) -> bool:
    """Whether `owed` would name anything: asked on every page a parent opens, so one hand-written query."""
    cutoff = months_before(now or clock.now(), settings.current().policy_renewal_months)
    return bool(await db.fetch(_OWED_VERSION, family_id, cutoff))


def check_acceptances(
    clean: Cleaner, versions: list[PolicyVersion], acceptances: dict[int, Acceptance], full_name: str
) -> None:
    """Every version ticked, and the signer's full name typed beside it, in any case and spacing."""
    expected = _caseless(full_name)
    for version in versions:
        given = acceptances.get(version.id, Acceptance(False, ''))
        if not given.accepted:
            clean.fail(f'policy.{version.id}', TICK_TO_AGREE)
        if _caseless(given.typed_name) != expected:
            clean.fail(f'name.{version.id}', TYPE_FULL_NAME)


def signature(typed: str) -> str:
    """A typed name as an agreement keeps it: its case as typed, its spaces collapsed, its accents composed
    (NFC), so an "é" typed as "e" and a combining accent is the same "é" the contact's name holds."""
    return ' '.join(unicodedata.normalize('NFC', typed).split())


def _caseless(name: str) -> str:
    return unicodedata.normalize('NFC', signature(name).casefold())  # casefolding can undo the composing


async def record_agreements(
    uow: UnitOfWork,
    subject: LogSubject,
    versions: list[PolicyVersion],
    acceptances: dict[int, Acceptance],
    *,
    user_agent: str = '',
) -> None:
    now = clock.now()
    assert subject.family_id is not None
    for version in versions:
        await Agreement.create(
            family_id=subject.family_id,
            contact_id=subject.contact_id,
            contact_name=subject.contact_name,
            policy_version_id=version.id,
            title_shown=version.title,
            text_shown=version.body,
            typed_name=signature(acceptances[version.id].typed_name),
            agreed_at=now,
            client_ip=subject.client_ip,
            user_agent=user_agent[:400],
            using_db=uow.connection,
        )
    typed = signature(acceptances[versions[0].id].typed_name)
    await portal_log.record(uow, subject, 'policies_agreed', f'Agreed to Policies: {typed}')


async def agree(actor: Actor, acceptances: dict[int, Acceptance], *, user_agent: str = '') -> None:
    """A signed-in parent agrees to every policy their family owes."""
    if not isinstance(actor, Actor):
        raise PermissionDenied()  # staff can never agree for a parent
    async with UnitOfWork() as uow:
        versions = await owed(actor.family_id)
        if not versions:
            return
        if any(version.id not in acceptances for version in versions):
            raise PolicyChanged()
        clean = Cleaner()
        check_acceptances(clean, versions, acceptances, actor.contact_name)
        clean.raise_if_invalid()
        await record_agreements(uow, actor.subject, versions, acceptances, user_agent=user_agent)


async def family_agreements(family_id: int) -> list[Agreement]:
    return await Agreement.filter(family_id=family_id).prefetch_related('policy_version').order_by('-agreed_at', '-id')


@dataclass(frozen=True)
class PolicyForm:
    title: str
    body: str

    def cleaned(self) -> tuple[str, str]:
        clean = Cleaner()
        title = clean.name('title', self.title, max_length=200)
        body = clean.text('body', self.body, max_length=50_000)
        if not body:
            clean.fail('body', N_('This field is required'))
        clean.raise_if_invalid()
        return title, body


async def add_policy(by: StaffActor, form: PolicyForm) -> PolicyVersion:
    require_admin(by)
    title, body = form.cleaned()
    async with UnitOfWork() as uow:
        last = await Policy.filter(retired_at=None).order_by('-position').using_db(uow.connection).first()
        policy = await Policy.create(position=(last.position + 1) if last else 0, using_db=uow.connection)
        version = await PolicyVersion.create(
            policy=policy,
            version=1,
            title=title,
            body=body,
            created_at=clock.now(),
            created_by=by.name,
            using_db=uow.connection,
        )
        await audit.record(uow, by, 'policy_added', f'Policy: {title}', None, _words(version))
    return version


async def revise_policy(by: StaffActor, policy_id: int, form: PolicyForm) -> PolicyVersion:
    """A new version; families agree again at their next sign-in. Unchanged words add nothing."""
    require_admin(by)
    title, body = form.cleaned()
    async with UnitOfWork() as uow:
        current = (
            await PolicyVersion.filter(policy_id=policy_id, policy__retired_at=None)
            .order_by('-version')
            .using_db(uow.connection)
            .first()
        )
        if current is None:
            raise NotFound()
        if (current.title, current.body) == (title, body):
            return current
        version = await PolicyVersion.create(
            policy_id=policy_id,
            version=current.version + 1,
            title=title,
            body=body,
            created_at=clock.now(),
            created_by=by.name,
            using_db=uow.connection,
        )
        await audit.record(uow, by, 'policy_revised', f'Policy: {title}', _words(current), _words(version))
    return version


def _words(version: PolicyVersion) -> dict:
    return {'version': version.version, 'title': version.title, 'body': version.body}


async def retire_policy(by: StaffActor, policy_id: int) -> None:
    """No longer asked for; agreements already given stay."""
    require_admin(by)
    async with UnitOfWork() as uow:
        current = (
            await PolicyVersion.filter(policy_id=policy_id, policy__retired_at=None)
            .order_by('-version')
            .using_db(uow.connection)
            .first()
        )
        if current is None:
            raise NotFound()
        moment = clock.now()
        await Policy.filter(id=policy_id).using_db(uow.connection).update(retired_at=moment)
        await audit.record(
            uow, by, 'policy_retired', f'Policy: {current.title}', {'retired_at': None}, {'retired_at': moment}
        )


async def set_renewal_months(by: StaffActor, months: int) -> None:
    require_admin(by)
    if not 1 <= months <= 120:
        raise ValidationFailed({'months': N_('Enter a number of months from 1 to 120')})
    async with UnitOfWork() as uow:
        row = await StudioSettings.first(using_db=uow.connection)
        assert row is not None, 'settings exist from start-up'
        if row.policy_renewal_months == months:
            return
        await settings.change(uow=uow, policy_renewal_months=months)
        await audit.record(
            uow,
            by,
            'policy_renewal_changed',
            'Policies: agree again after (months)',
            {'policy_renewal_months': row.policy_renewal_months},
            {'policy_renewal_months': months},
        )


async def families_owing(now: dt.datetime | None = None) -> list[int]:
    """Active families missing an agreement to a current version, or whose agreement is too old."""
    versions = await current_versions(everyone=True)
    if not versions:
        return []
    cutoff = months_before(now or clock.now(), settings.current().policy_renewal_months)
    rows = (
        await Agreement.filter(policy_version_id__in=[v.id for v in versions], agreed_at__gte=cutoff)
        .distinct()
        .values_list('family_id', 'policy_version_id')
    )
    agreed: dict[int, set[int]] = {}
    for family_id, version_id in rows:
        agreed.setdefault(int(family_id), set()).add(int(version_id))
    needed = {v.id for v in versions}
    families = await Family.filter(status=FamilyStatus.ACTIVE).values_list('id', flat=True)
    return [family_id for family_id in map(int, families) if not needed <= agreed.get(family_id, set())]  # type: ignore[arg-type]


async def send_requests(by: StaffActor) -> int:
    """Email every family that owes an agreement, to its primary contact, in that contact's language.

    The contacts come in one query; the emails and their log lines are written in one transaction."""
    owing = await families_owing()
    candidates = (
        await Contact.filter(family_id__in=owing, allow_login=True, email__not_isnull=True)
        .order_by('family_id', '-is_primary', 'id')
        .select_related('family')
    )
    chosen: dict[int, Contact] = {}
    for contact in candidates:
        chosen.setdefault(contact.family_id, contact)
    link = settings.current().base_url + '/'
    if not chosen:
        return 0
    async with UnitOfWork() as uow:
        for contact in chosen.values():
            language = contact.preferred_language
            recipient = Recipient(contact.full_name, contact.email or '', language, contact.family_id, contact.id)
            await outbox.enqueue(uow, Channel.EMAIL, recipient, policy_request(language, contact.first_name, link))
            await portal_log.record(
                uow,
                LogSubject.of(contact, user_id=by.email),
                'policy_request',
                f'Policy request sent to {contact.email} by {by.name}',
            )
        await audit.record(
            uow,
            by,
            'policy_requests_sent',
            f'Policy requests to {len(chosen)} families',
            None,
            {'sent': len(chosen), 'family_ids': sorted(chosen)},
        )
    return len(chosen)
