"""The desk writes a post: every mistake beside its field, a bad image refused, the post published to the list
with how many families read it, then edited."""

from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from domain.files.inspection import NOT_ALLOWED
from domain.models import NewsPost, StoredFile
from tests.domain.news.making import PDF, PNG
from tests.factories import make_family
from tests.pages.helpers import press, staff_signs_in, table_rows


def field(user: User, marker: str):
    return user.find(marker=marker).elements.pop()


async def test_the_editor_shows_field_errors_then_publishes(user: User):
    await make_family('Bestie', 'holly@example.com')
    await staff_signs_in(user)
    await user.open('/staff/news/new')
    field(user, 'title.es').set_value('Hola')
    press(user, 'Publish')
    await user.should_see('This field is required')
    assert field(user, 'title').error == 'This field is required'
    assert field(user, 'body.es').error == 'Give this language both a title and a text, or neither'
    await field(user, 'image').handle_uploads([SmallFileUpload('photo.jpg', 'image/jpeg', PDF)])
    field(user, 'title').set_value('Picture day')
    field(user, 'body').set_value('Wear **blue**.')
    field(user, 'title.es').set_value('')
    press(user, 'Publish')
    await user.should_see(NOT_ALLOWED)
    assert field(user, 'image-error').text == NOT_ALLOWED
    assert not await NewsPost.exists() and not await StoredFile.exists()
    assert '<strong>blue</strong>' in field(user, 'preview').content
    await field(user, 'image').handle_uploads([SmallFileUpload('photo.png', 'image/png', PNG)])
    press(user, 'Publish')
    await user.should_see(marker='posts', retries=30)
    (row,) = table_rows(user)
    assert (row['title'], row['audience'], row['reads']) == ('Picture day', 'Every family', '0 of 1 family')
    post = await NewsPost.get()
    assert post.title == 'Picture day' and post.image_id is not None


async def test_an_edit_is_saved_and_a_stale_one_refused(user: User):
    await make_family('Bestie', 'holly@example.com')
    await staff_signs_in(user)
    await user.open('/staff/news/new')
    field(user, 'title').set_value('Picture day')
    field(user, 'body').set_value('Wear blue.')
    field(user, 'pinned').set_value(True)
    press(user, 'Publish')
    await user.should_see(marker='posts', retries=30)
    assert table_rows(user)[0]['pinned'] == 'Pinned'
    post = await NewsPost.get()
    await user.open(f'/staff/news/{post.id}')
    await NewsPost.filter(id=post.id).update(version=post.version + 1)  # someone saved meanwhile
    field(user, 'title').set_value('Picture day moved')
    press(user, 'Save')
    await user.should_see(marker='changed-meanwhile')
    assert (await NewsPost.get(id=post.id)).title == 'Picture day'
    await user.open(f'/staff/news/{post.id}')
    field(user, 'title').set_value('Picture day moved')
    press(user, 'Save')
    await user.should_see('Saved')
    assert (await NewsPost.get(id=post.id)).title == 'Picture day moved'
