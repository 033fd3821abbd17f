"""A post's languages: written in the studio's, translated into the others if staff choose."""

from __future__ import annotations

from dataclasses import dataclass

from domain.config import SUPPORTED_LANGUAGES
from domain.models import NewsPost
from domain.studio import settings


@dataclass(frozen=True)
class Wording:
    """A post's title and text in one language."""

    title: str = ''
    body: str = ''


def wording(post: NewsPost, language: str) -> Wording:
    """The post in `language` when it has that translation, else in the studio's."""
    words = (post.translations or {}).get(language) or {}
    if words.get('title') and words.get('body'):
        return Wording(str(words['title']), str(words['body']))
    return Wording(post.title, post.body)


def other_languages() -> tuple[str, ...]:
    """The languages a post may be translated into: all but the studio's."""
    own = settings.current().default_language
    return tuple(language for language in SUPPORTED_LANGUAGES if language != own)
