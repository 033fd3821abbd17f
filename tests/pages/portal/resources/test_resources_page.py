"""The Class resources screen on a parent's phone: what was shared, grouped by class, each row a link that opens in
a new tab, checks access and goes on to the file's bytes; another family's resource is the not-found page; with
nothing shared, a sentence says so."""

from nicegui import ui
from nicegui.testing import User

from domain.classes.audiences import Audience
from domain.models import AudienceKind, PortalEvent
from domain.resources import resources
from pages.endpoints.files import stored_file
from tests.domain.classes.studio_setup import enrol, make_studio
from tests.domain.resources.making import PDF
from tests.factories import make_family
from tests.pages.helpers import sign_in

PAGE = '/portal/resources'


async def a_shared_class(admin):
    studio = await make_studio(admin)
    ballet = await studio.course('Ballet')
    made = await make_family('Bestie', 'holly@example.com', children=('Ava',))
    await enrol(ballet, made.children[0])
    guide = await resources.add_file(
        admin,
        title='Recital costume guide',
        description='Bring both shoes.',
        audience=Audience(AudienceKind.CLASS, ballet.id),
        include_waiting=False,
        data=PDF,
        file_name='costume.pdf',
    )
    warm_up = await resources.add_link(
        admin,
        title='Warm-up video',
        description='',
        audience=Audience(AudienceKind.SESSION, studio.term.id),
        include_waiting=False,
        url='https://video.example.com/warm-up',
    )
    return guide, warm_up


async def test_the_family_sees_its_resources_grouped_and_opens_the_pdf_in_a_new_tab(user: User, admin):
    guide, warm_up = await a_shared_class(admin)
    await sign_in(user)
    await user.open(PAGE)
    await user.should_see('Class: Ballet')
    await user.should_see('Session: Winter')
    await user.should_see('Recital costume guide')
    await user.should_see('Bring both shoes.')
    row = user.find(marker=f'resource-{guide.id}').elements.pop()
    assert isinstance(row, ui.link)
    assert (row.props['href'], row.props['target']) == (f'{PAGE}/{guide.id}', '_blank')
    opened = await user.http_client.get(f'{PAGE}/{guide.id}', follow_redirects=False)
    assert opened.status_code == 303
    assert opened.headers['location'].startswith('/files/')
    served = await stored_file(opened.headers['location'].removeprefix('/files/'))
    assert (served.body, served.media_type) == (PDF, 'application/pdf')
    link = await user.http_client.get(f'{PAGE}/{warm_up.id}', follow_redirects=False)
    assert link.headers['location'] == 'https://video.example.com/warm-up'
    assert await PortalEvent.filter(kind='resource_opened').count() == 2


async def test_another_familys_resource_is_the_not_found_page(user: User, admin):
    guide, _ = await a_shared_class(admin)
    await make_family('Ager', 'ager@example.com', children=('Leo',))
    await sign_in(user, 'ager@example.com')
    await user.open(PAGE)
    await user.should_see(marker='no-resources')
    await user.should_not_see('Recital costume guide')
    await user.open(f'{PAGE}/{guide.id}')
    await user.should_see('We could not find that page. It may have been removed, or the link may be wrong.')
    refused = await user.http_client.get(f'{PAGE}/{guide.id}', follow_redirects=False)
    assert 'location' not in refused.headers
