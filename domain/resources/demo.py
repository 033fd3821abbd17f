"""The demo's class resources: a costume guide (a small PDF made here) for the Bestie children's ballet class, a
warm-up video for Ava's Contemporary class, and one for the whole spring session. The lead calls seed_resources()
after the demo's absences (which make the ballet class)."""

from __future__ import annotations

from domain.access.actors import StaffActor
from domain.classes.audiences import Audience
from domain.models import AudienceKind, Course, StaffUser, Term
from domain.operations.demo import DEMO_STAFF_EMAIL, DEMO_TECHNIQUE
from domain.resources import resources

GUIDE_LINES = (
    'Recital costume guide',
    'Girls: black leotard, pink tights, pink ballet shoes, hair in a bun.',
    'Boys: white T-shirt, black shorts or leggings, white socks, black ballet shoes.',
    "Please label every item with your dancer's name.",
)


def recital_pdf(lines: tuple[str, ...] = GUIDE_LINES) -> bytes:
    """A one-page PDF of a few lines of text in Helvetica, with a correct cross-reference table."""
    # the lines are this module's own, with no parenthesis or backslash a PDF string would need escaped
    shown = [f'/F1 {18 if n == 0 else 12} Tf ({line}) Tj 0 -28 Td' for n, line in enumerate(lines)]
    text = 'BT 72 760 Td ' + ' '.join(shown) + ' ET'
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R '
        b'/Resources << /Font << /F1 5 0 R >> >> >>',
        b'<< /Length %d >>\nstream\n%s\nendstream' % (len(text), text.encode('latin-1')),
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]
    out = bytearray(b'%PDF-1.4\n')
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b'%d 0 obj\n%s\nendobj\n' % (number, body)
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    out += b''.join(b'%010d 00000 n \n' % offset for offset in offsets)
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objects) + 1, xref)
    return bytes(out)


async def seed_resources() -> None:
    made = await StaffUser.get(email=DEMO_STAFF_EMAIL)
    admin = StaffActor(made.id, made.name, made.email, made.role)
    ballet = await Course.get(name=DEMO_TECHNIQUE)
    contemporary = await Course.get(name='Contemporary')
    spring = await Term.filter(name__startswith='Spring').order_by('-starts_on').first()
    await resources.add_file(
        admin,
        title='Recital costume guide',
        description='What to wear on the day, and how to label it.',
        audience=Audience(AudienceKind.CLASS, ballet.id),
        include_waiting=True,
        data=recital_pdf(),
        file_name='recital-costume-guide.pdf',
    )
    await resources.add_link(
        admin,
        title='Warm-up video',
        description='Ten minutes to do at home before class.',
        audience=Audience(AudienceKind.CLASS, contemporary.id),
        include_waiting=False,
        url='https://www.youtube.com/results?search_query=contemporary+dance+warm+up+kids',
    )
    if spring is not None:
        await resources.add_link(
            admin,
            title='Stretching at home',
            description='A gentle stretch routine for every dancer this session.',
            audience=Audience(AudienceKind.SESSION, spring.id),
            include_waiting=False,
            url='https://www.youtube.com/results?search_query=stretching+for+kids',
        )
