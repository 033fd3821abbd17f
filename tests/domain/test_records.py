import pytest

from domain.errors import NotFound
from domain.models import Participant
from domain.records import owned
from tests.factories import make_family, signed_in

pytestmark = pytest.mark.usefixtures('database')


async def test_a_familys_own_record_is_found_and_anothers_looks_missing():
    ours = await make_family('Ager', 'holly@example.com')
    theirs = await make_family('Bestie', 'mary@example.com')
    child = ours.children[0]
    assert (await owned(Participant, await signed_in('holly@example.com'), child.id)).id == child.id
    with pytest.raises(NotFound):
        await owned(Participant, await signed_in('mary@example.com'), child.id)
    assert theirs.children


@pytest.mark.parametrize('record_id', ['abc', '', 0, -1, 2**63, '99999999999999999999999'])
async def test_an_id_that_is_no_record_gives_the_same_not_found(record_id):
    await make_family('Ager', 'holly@example.com')
    with pytest.raises(NotFound):
        await owned(Participant, await signed_in('holly@example.com'), record_id)
