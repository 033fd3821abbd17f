import asyncio

import pytest

from domain import clock
from domain.classes.audiences import Audience
from domain.models import AudienceKind, Channel, NewsPost, OutboxMessage
from domain.news import news, notices, worker
from domain.news.news import PostForm, Wording
from domain.unit_of_work import UnitOfWork
from tests.domain.news.making import NOW, second_contact, studio

pytestmark = pytest.mark.usefixtures('database')


@pytest.fixture(autouse=True)
def now():
    with clock.pinned(NOW):
        yield


async def test_a_post_that_appears_now_reaches_each_contact_who_did_not_opt_out_by_email_and_text(admin, term):
    made = await studio(admin, term)
    await second_contact(made.bestie, email='mark@example.com', mobile_phone='+13125550104', mass_email_opt_out=True)
    await second_contact(made.bestie, 'June', mobile_phone='+13125550103')
    post = await news.publish(
        admin,
        PostForm(
            'Ballet <b>shoes</b>',
            'Bring {them}.',
            audience=Audience(AudienceKind.CLASS, made.ballet.id),
            send_email=True,
            send_text=True,
        ),
    )
    emails = await OutboxMessage.filter(channel=Channel.EMAIL, kind='news_post')
    assert [m.to_address for m in emails] == ['bestie@example.com']
    (email,) = emails
    assert email.kind == 'news_post' and email.subject == 'Ballet <b>shoes</b>'
    assert 'Ballet &lt;b&gt;shoes&lt;/b&gt;' in email.body_html and '<b>' not in email.body_html
    assert 'Bring {them}.' in email.body_text and f'/portal/news/{post.id}' in email.body_text
    (text,) = await OutboxMessage.filter(channel=Channel.SMS, kind='news_post')
    assert text.to_address == '+13125550103' and f'/portal/news/{post.id}' in text.body_text
    assert (await NewsPost.get(id=post.id)).sent_at == NOW


async def test_each_contact_gets_the_post_in_their_language(admin, term):
    made = await studio(admin, term)
    await second_contact(made.other, 'Rosa', email='rosa@example.com', preferred_language='es')
    await news.publish(
        admin, PostForm('Welcome', 'Hello.', translations={'es': Wording('Bienvenidos', 'Hola.')}, send_email=True)
    )
    sent = OutboxMessage.filter(channel=Channel.EMAIL, kind='news_post')
    subjects = dict(await sent.values_list('to_address', 'subject'))
    assert subjects['rosa@example.com'] == 'Bienvenidos' and subjects['other@example.com'] == 'Welcome'
    rosa = await OutboxMessage.get(to_address='rosa@example.com')
    assert 'Hola.' in rosa.body_text and rosa.language == 'es'


async def test_a_later_post_is_sent_by_the_worker_once_even_by_two_at_once(admin, term):
    await studio(admin, term)
    post = await news.publish(admin, PostForm('Picture day', 'Smile.', appears_at='2027-01-21T09:00', send_email=True))
    assert await worker.run_once() == 0 and not await OutboxMessage.filter(kind='news_post').exists()
    with clock.pinned(NOW.replace(day=21)):
        results = await asyncio.gather(worker.run_once(), worker.run_once(), worker.run_once())
        assert sum(results) == 3  # the three families' primary contacts, once each
        assert await worker.run_once() == 0
    assert await OutboxMessage.filter(kind='news_post').count() == 3
    assert (await NewsPost.get(id=post.id)).sent_at is not None


async def test_sending_the_same_post_in_two_transactions_at_once_sends_it_once(admin, term):
    await studio(admin, term)
    post = await news.publish(
        admin, PostForm('Later', 'Yes.', appears_at='2027-01-21T09:00', send_text=True, send_email=True)
    )

    async def send() -> int:
        async with UnitOfWork() as uow:
            return await notices.send_if_due(uow, post.id)

    with clock.pinned(NOW.replace(day=22)):
        assert sorted(await asyncio.gather(send(), send())) == [0, 3]


async def test_a_post_without_email_or_texts_sends_nothing(admin, term):
    await studio(admin, term)
    await news.publish(admin, PostForm('Quiet', 'Shh.'))
    assert await worker.run_once() == 0 and not await OutboxMessage.filter(kind='news_post').exists()
