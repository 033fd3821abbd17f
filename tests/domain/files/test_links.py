"""A signed link gives its one file for five minutes; a changed or expired link gives nothing."""

import datetime as dt
import string

import pytest

from domain import clock
from domain.files import links
from domain.files.links import Claim, LinkRefused

NOON = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def token_of(link: str) -> str:
    assert link.startswith('/files/')
    return link.removeprefix('/files/')


def test_a_link_names_its_file_and_how_it_is_offered():
    with clock.pinned(NOON):
        shown, downloaded = token_of(links.link(42)), token_of(links.link(42, download=True))
        assert links.claim(shown) == Claim(42, False, NOON + dt.timedelta(minutes=5))
        assert links.claim(downloaded) == Claim(42, True, NOON + dt.timedelta(minutes=5))


def test_a_link_works_until_five_minutes_have_passed():
    with clock.pinned(NOON):
        token = token_of(links.link(7))
    with clock.pinned(NOON + dt.timedelta(minutes=4, seconds=59)):
        assert links.claim(token).file_id == 7
    with clock.pinned(NOON + dt.timedelta(minutes=5)), pytest.raises(LinkRefused, match='expired'):
        links.claim(token)
    with clock.pinned(NOON + dt.timedelta(days=2)), pytest.raises(LinkRefused, match='expired'):
        links.claim(token)


def test_a_longer_lifetime_can_be_asked_for():
    with clock.pinned(NOON):
        token = token_of(links.link(7, lifetime=dt.timedelta(hours=1)))
    with clock.pinned(NOON + dt.timedelta(minutes=59)):
        assert links.claim(token).file_id == 7


def test_a_link_with_any_one_character_changed_is_refused():
    with clock.pinned(NOON):
        token = token_of(links.link(7))
        for position, character in enumerate(token):
            other = 'A' if character != 'A' else 'B'
            with pytest.raises(LinkRefused):
                links.claim(token[:position] + other + token[position + 1 :])


def test_another_files_id_cannot_be_put_into_a_link():
    with clock.pinned(NOON):
        payload, _, signature = token_of(links.link(7)).partition('.')
        forged = token_of(links.link(8)).partition('.')[0]
        with pytest.raises(LinkRefused, match='signature'):
            links.claim(f'{forged}.{signature}')
        with pytest.raises(LinkRefused, match='signature'):
            links.claim(payload)


@pytest.mark.parametrize('token', ['', '.', 'abc', 'abc.', '.abc', 'é.é', '%00.%00', 'a.b.c', string.printable])
def test_nonsense_is_refused_and_never_an_error(token):
    with pytest.raises(LinkRefused):
        links.claim(token)


def test_a_link_signed_by_another_deployment_is_refused(monkeypatch):
    monkeypatch.setattr(links, '_key', links._key)  # put back after the test
    with clock.pinned(NOON):
        links.use_key('another studio')
        theirs = token_of(links.link(7))
        links.use_key('this studio')
        with pytest.raises(LinkRefused, match='signature'):
            links.claim(theirs)
        assert links.claim(token_of(links.link(7))).file_id == 7
