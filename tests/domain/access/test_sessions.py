"""Every way a session ends names it, after commit, so the pages still open on it can be closed."""

import pytest

from domain import clock, events
from domain.access import sessions, sign_in
from tests.factories import PASSWORD, make_family

pytestmark = pytest.mark.usefixtures('database')


@pytest.fixture
def ended() -> list[list[str]]:
    heard: list[list[str]] = []
    unsubscribe = events.bus.subscribe(sessions.SESSIONS_ENDED, heard.append)
    yield heard
    unsubscribe()


async def test_a_session_found_idle_is_ended_and_announced(ended):
    await make_family('Ager', 'holly@example.com')
    token, _actor = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    with clock.pinned(clock.now() + sessions.SESSION_IDLE + sessions.SEEN_WRITE_INTERVAL):
        assert await sessions.resolve_parent(token) is None
    assert ended == [[sessions.session_key(token)]]


async def test_signing_out_announces_only_the_session_it_ended(ended):
    await make_family('Ager', 'holly@example.com')
    token, actor = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    other, _actor = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    await sessions.sign_out_parent(token, actor)
    await sessions.sign_out_parent(token, actor)  # already ended: nothing more to announce
    assert ended == [[sessions.session_key(token)]]
    assert await sessions.resolve_parent(other) is not None


async def test_the_session_query_agrees_with_may_sign_in_about_removed_contacts():
    """A removed contact's open session ends on their next page, whatever else their flags say."""
    import itertools

    from domain.access.actors import may_sign_in
    from domain.models import Contact, FamilyStatus
    from domain.unit_of_work import UnitOfWork

    combinations = list(itertools.product((False, True), (False, True), FamilyStatus))
    tokens = []
    for index, (removed, allow_login, status) in enumerate(combinations):
        made = await make_family(f'F{index}', f'p{index}@example.com', status=status, allow_login=allow_login)
        await Contact.filter(id=made.parent.id).update(removed_at=clock.now() if removed else None)
        async with UnitOfWork() as uow:
            tokens.append(await sessions.start_session(uow, contact_id=made.parent.id))
    admitted = set()
    for (removed, allow_login, status), token in zip(combinations, tokens, strict=True):
        allowed = may_sign_in(allow_login=allow_login, family_status=status, removed=removed)
        assert (await sessions.resolve_parent(token) is not None) == allowed, (removed, allow_login, status)
        if allowed:
            admitted.add((removed, allow_login, status))
    assert admitted == {(False, True, FamilyStatus.ACTIVE), (False, True, FamilyStatus.INACTIVE)}
