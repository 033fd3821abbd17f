"""An audience's two forms agree: `Belonging.includes` (one post, in Python) and `Belonging.matching` (a filter the
database applies, so a family's read fetches only what it sees)."""

import datetime as dt
import itertools

from domain.classes.audiences import Belonging
from domain.models import AudienceKind, NewsPost

NOW = dt.datetime(2027, 1, 20, 16, 0, tzinfo=dt.UTC)


async def test_the_filter_fetches_exactly_the_posts_the_family_is_said_to_see(database):
    targets = (None, 1, 2, 3, 7)
    for number, (kind, target) in enumerate(itertools.product(AudienceKind, targets)):
        await NewsPost.create(
            title=f'post {number}',
            body='',
            audience_kind=kind,
            audience_id=target,
            appears_at=NOW,
            created_by='Ada Admin',
            created_at=NOW,
            updated_at=NOW,
        )
    posts = await NewsPost.all()
    families = [
        Belonging(7),  # belongs to nothing but itself
        Belonging(3, locations={1}, classes={2, 3}, sessions={1}, events={7}, waitlists={1}, participants={2}),
        Belonging(1, classes={1}, participants={1, 3}),
    ]
    for family in families:
        said = {post.id for post in posts if family.includes(AudienceKind(post.audience_kind), post.audience_id)}
        fetched = set(await NewsPost.filter(family.matching()).values_list('id', flat=True))
        assert fetched == said
        assert said  # every family sees at least the posts to every family
