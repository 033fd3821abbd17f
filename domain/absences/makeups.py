"""Makeups: a family spends a makeup credit on one meeting of another class (issue 17).

The rules, in one place:
- a credit books the meetings the studio's scope allows: the same class type (a class sharing the missed
  class's second-tier category, Dance › Ballet), the same level (sharing one of its categories) or any class;
  the class shown to families, active or future, that the child's age and gender fit, that the child is not
  enrolled in, meeting on a day that is not closed, with no clash with the child's own classes that day, from
  now plus `cutoff_hours` to today plus `makeup_ahead_days`, and never after the credit expires;
- a meeting's makeup seats are its capacity plus `extra_seats`, less what is taken that day, plus the children
  reported absent (seats.meeting_seats);
- booking takes the seat and the credit in one transaction: the class's row lock, then the family's, the seats
  counted under them, the credit claimed AVAILABLE -> BOOKED by a conditional update; a seat gone meanwhile is
  SeatGone at once;
- a makeup cancelled before `cancel_hours` gives the credit back; after that the credit is used; once the
  meeting started it cannot be cancelled.
Every family action asks rights.require_manage inside its transaction; reading needs no tick. Each step is a
Parent Portal Log line and an email to the contact who booked, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.access.actors import Actor
from domain.errors import DomainError
from domain.i18n import N_
from domain.models import CreditOrigin, CreditStatus, Makeup, MakeupStatus


class SeatGone(DomainError):
    MESSAGE = N_('That makeup seat has just been taken. The list is up to date again.')


class CreditNotAvailable(DomainError):
    MESSAGE = N_('This credit cannot be used for a makeup now. The list is up to date again.')


class TooLate(DomainError):
    MESSAGE = N_('This class has started already, so the makeup cannot be changed')


@dataclass(frozen=True)
class MakeupLine:
    id: int
    course: str
    date: dt.date
    start: dt.time
    end: dt.time
    location: str
    status: MakeupStatus
    free_cancel_until: dt.datetime  # UTC: cancelled before it, the credit comes back
    credit_back_if_cancelled: bool  # cancelled now, the credit comes back
    cancellable: bool  # booked and the meeting has not started


@dataclass(frozen=True)
class CreditLine:
    id: int
    participant_id: int
    child: str  # first name
    course: str  # the class missed
    missed_on: dt.date
    origin: CreditOrigin
    status: CreditStatus
    expires_on: dt.date | None
    makeup: MakeupLine | None  # the live makeup booked with it, or the last one that used it


@dataclass(frozen=True)
class MakeupOption:
    course_id: int
    course: str
    date: dt.date
    start: dt.time
    end: dt.time
    location: str
    instructor: str
    seats_left: int


async def family_credits(actor: Actor) -> list[CreditLine]:
    """The family's credits: available first, then booked, pending, used, expired, revoked, refused."""
    raise NotImplementedError


async def makeup_options(actor: Actor, credit_id: int) -> list[MakeupOption]:
    """The meetings this credit may book, with a free makeup seat, by date then time."""
    raise NotImplementedError


async def book(actor: Actor, credit_id: int, course_id: int, day: dt.date) -> Makeup:
    raise NotImplementedError


async def cancel(actor: Actor, makeup_id: int) -> bool:
    """True: the credit is returned; False: it is used (cancelled after the cut-off)."""
    raise NotImplementedError
