"""The registration a family submitted, as it was submitted: the answers and the agreements signed with it.

Read-only and as signed: an answer keeps the question's words as they were asked, an agreement the title and
text the parent saw, so a policy changed since shows the family what they agreed to then, not today's words.
The registration is the family's `registration_submitted` line of the Parent Portal Log: the agreements are
the ones written in that transaction (at or before it), the answers are the ones registration writes. A family
the studio entered has no registration to show. Guardians see it; a pick-up or emergency contact does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.access.actors import Actor, NotYourRole, standing
from domain.models import Agreement, PortalEvent
from domain.registration.questions import GivenAnswer, family_answers

SUBMITTED = 'registration_submitted'


@dataclass(frozen=True)
class SignedAgreement:
    title_shown: str
    text_shown: str  # Markdown, shown with any HTML escaped
    typed_name: str
    agreed_at: dt.datetime


@dataclass(frozen=True)
class RegistrationCopy:
    submitted_at: dt.datetime
    answers: list[GivenAnswer]  # family questions first (participant_name ''), then each child's
    agreements: list[SignedAgreement]


async def registration_of(actor: Actor) -> RegistrationCopy | None:
    """The actor's family's registration, or None for a family the studio entered."""
    if not (await standing(actor)).is_guardian:
        raise NotYourRole()
    submitted = (
        await PortalEvent.filter(family_id=actor.family_id, kind=SUBMITTED).order_by('occurred_at', 'id').first()
    )
    if submitted is None:
        return None
    signed = await Agreement.filter(family_id=actor.family_id, agreed_at__lte=submitted.occurred_at).order_by(
        'agreed_at', 'id'
    )
    answers = sorted(await family_answers(actor.family_id), key=lambda a: a.participant_name != '')  # stable
    return RegistrationCopy(
        submitted.occurred_at,
        answers,
        [SignedAgreement(a.title_shown, a.text_shown, a.typed_name, a.agreed_at) for a in signed],
    )
