"""The demo studio's news: a pinned welcome to every family in the three languages, a note to the Jazz 2 class
(Ava Bestie's), and last week's recital post, which Mary Bestie has read. Through the same services staff and a
parent use; the lead calls `seed_news()` after the demo studio is seeded."""

from __future__ import annotations

import datetime as dt

from domain import clock
from domain.access.actors import Actor, StaffActor
from domain.classes.audiences import Audience
from domain.models import AudienceKind, Contact, Course, NewsPost, StaffRole, StaffUser
from domain.news import news
from domain.news.news import PostForm, Wording
from domain.operations.demo import DEMO_PARENT_EMAIL

DEMO_CLASS = 'Jazz 2'

WELCOME = Wording(
    'Welcome to the new parent portal',
    'You can now see **your schedule**, report an absence, book a makeup and pay your balance here.\n\n'
    'Questions? Call the front desk or reply to any of our emails.',
)
WELCOME_TRANSLATIONS = {
    'es': Wording(
        'Bienvenido al nuevo portal para padres',
        'Ahora puede ver **su horario**, avisar de una ausencia, reservar una clase de recuperación y pagar su '
        'saldo aquí.\n\n¿Preguntas? Llame a recepción o responda a cualquiera de nuestros correos.',
    ),
    'zh_Hans': Wording(
        '欢迎使用新的家长门户',
        '现在您可以在这里查看**课程表**、报告缺课、预约补课并支付余额。\n\n有问题吗？请致电前台，或回复我们的任何一封邮件。',
    ),
    'en': WELCOME,
}


async def seed_news() -> bool:
    """Add the demo's posts unless there are posts already. Returns whether anything was added."""
    if await NewsPost.exists():
        return False
    admin = await StaffUser.filter(role=StaffRole.ADMIN).order_by('id').first()
    mary = await Contact.filter(email=DEMO_PARENT_EMAIL).prefetch_related('family').first()
    if admin is None or mary is None:
        return False
    staff = StaffActor(admin.id, admin.name, admin.email, admin.role)
    now = clock.now().replace(second=0, microsecond=0)
    own = news.other_languages()
    welcome = PostForm(
        WELCOME.title,
        WELCOME.body,
        translations={language: words for language, words in WELCOME_TRANSLATIONS.items() if language in own},
        appears_at=now - dt.timedelta(days=2),
        pinned=True,
    )
    await news.publish(staff, welcome)
    recital = await news.publish(
        staff,
        PostForm(
            'Spring recital tickets are on sale',
            'Tickets for the spring recital are at the front desk: **$12** each, children under 4 free.',
            appears_at=now - dt.timedelta(days=7),
        ),
    )
    course = await Course.filter(name=DEMO_CLASS).first()
    if course is not None:
        await news.publish(
            staff,
            PostForm(
                'Jazz 2: jazz shoes from next week',
                'From next Thursday, please send your dancer in **jazz shoes** (tan, slip-on). Socks are fine '
                'until then.',
                audience=Audience(AudienceKind.CLASS, course.id),
                appears_at=now - dt.timedelta(hours=3),
            ),
        )
    await news.read_post(Actor.of(mary), recital.id)
    return True
