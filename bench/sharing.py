"""What the studio shares (issue 18): a phone's photo of a child, a file behind a signed link, and the family's
news and resources as the studio grows.

One studio on a temp SQLite (migrations, settings, the administrator, as bench/absences.py makes it), its files
in a LocalStorage folder of the run, everything made through the services staff and parents use:
- photos: a guardian uploads a 12-megapixel phone JPEG (about 5 MB, with EXIF, orientation and location) through
  `photos.upload_photo`: the time per photo, sequentially; the process's peak RSS over 20 uploads (the kernel's
  high-water mark, reset first) and what it keeps afterwards; the longest lateness of a 5 ms ticker on the event
  loop while 4 uploads run at once (the decode runs in a worker thread), with the ticker's lateness alone as the
  machine's baseline, its lateness while only the 4 decodes run in threads, and the longest single step of the
  loop itself in one more round in asyncio's debug mode (what the loop does without yielding); and the refusal
  of an image bomb (the tests' PNG declaring 30000 × 30000 pixels: about 110 KB, as small as a valid PNG of 900
  megapixels can be, deflate packing at most about 1000 to 1);
- serving: a 5 MB PDF through the signed-link endpoint (`pages/endpoints/files.stored_file`, called directly: the
  claim, the row, the bytes from storage and the Response; the HTTP transfer is not in it), from the LocalStorage
  and from S3Storage against moto's ThreadedMotoServer on a loopback port, in alternating turns;
- reads: `news.family_news` and `resources.family_resources` for a family with one child in 3 of 40 classes,
  first with a tenth of the posts and resources, then with all 200 posts and 300 resources: the time per call,
  and the queries (and rows) each call makes, counted at the Tortoise connection.

This module seeds and measures; bench/run.py reports the figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import logging
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image

from bench.classes import _open_studio
from domain import db
from domain.access.actors import Actor, StaffActor
from domain.adapters import storage
from domain.classes import catalogue, enrolment
from domain.classes.audiences import Audience
from domain.classes.catalogue import CourseForm, LocationForm, PatternForm, RoomForm, TermForm
from domain.config import sqlite_url
from domain.errors import ValidationFailed
from domain.files import links, stored
from domain.models import AudienceKind, NewsRead
from domain.news import news
from domain.photos import images, photos
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from tests.domain.classes.making import family
from tests.domain.photos import making

PHOTO_SIZE = (4032, 3024)  # a 12-megapixel phone camera, landscape
TIMED_UPLOADS = 10
MEMORY_UPLOADS = 20
AT_ONCE = 4
STALL_ROUNDS = 5  # the worst of several: on a shared machine one round says little
TICK = 0.005
BOMB_TRIES = 10
PDF_MB = 5
SERVES = 10  # per storage, in alternating turns
CLASSES = 40
ENROLLED_IN = 3
POSTS, RESOURCES = 200, 300
SMALL = 10  # the first measurement has a tenth of them
READS = 30
MB = 1024 * 1024


@dataclass(frozen=True)
class Photos:
    photo_bytes: int
    upload_ms: list[float]
    rss_before_mb: float
    peak_growth_mb: float  # the high-water mark during MEMORY_UPLOADS uploads, above the RSS before them
    kept_growth_mb: float  # RSS after them (and a collection), above the RSS before
    idle_stall_ms: float  # the ticker's worst lateness with nothing else running
    stall_ms: list[float]  # the ticker's worst lateness in each round of AT_ONCE uploads
    at_once_s: list[float]  # how long each round's AT_ONCE uploads took together
    threads_stall_ms: list[float]  # the same, with only the AT_ONCE decodes in worker threads (no database, no files)
    longest_callback_ms: float  # the longest single step of the loop itself in one more round, in asyncio's debug mode
    bomb_bytes: int
    bomb_ms: list[float]
    bomb_refused: bool
    bomb_peak_growth_mb: float


@dataclass(frozen=True)
class Serving:
    local_s: list[float]
    s3_s: list[float]
    size: int
    whole: bool  # every answer was the whole file, byte for byte


@dataclass(frozen=True)
class Read:
    posts: int
    resources: int
    news_ms: float
    news_queries: int
    news_rows: int
    news_lines: int
    resources_ms: float
    resources_queries: int
    resources_rows: int
    resources_lines: int


@dataclass(frozen=True)
class Measured:
    photos: Photos
    serving: Serving
    reads: list[Read]  # the small studio, then the full one
    seed_seconds: float


async def run(work: Path, secret: str) -> Measured:
    work.mkdir(parents=True, exist_ok=True)
    from tortoise.backends.base import executor

    executor.EXECUTOR_CACHE.clear()  # Tortoise keeps insert statements by connection name, not by dialect
    storage.configure(storage.LocalStorage(work / 'files'))
    links.use_key(secret)
    admin = await _open_studio(sqlite_url(work / 'sharing.sqlite3'), secret)
    try:
        began = time.perf_counter()
        guardian, children = await family('Snapper', children=tuple(f'Kid{n}' for n in range(AT_ONCE)))
        courses = await _classes(admin)
        reader = await _reader(admin, courses)
        seeded = time.perf_counter() - began
        measured_photos = await _photos(guardian, [c.id for c in children])
        serving = await _serving(work)
        reads = []
        for step, (posts, resources) in enumerate(((POSTS // SMALL, RESOURCES // SMALL), (POSTS, RESOURCES))):
            began = time.perf_counter()
            await _share(admin, courses, reader, posts, resources, first=step == 0)
            seeded += time.perf_counter() - began
            reads.append(await _reads(reader, posts, resources))
        return Measured(measured_photos, serving, reads, seeded)
    finally:
        await db.close_database()
        storage.configure(storage.LocalStorage(Path('data') / 'files'))


# Photos


def phone_photo() -> bytes:
    """A 12 MP JPEG as a phone writes it: textured enough to weigh what a real one does, with EXIF (maker,
    model, orientation, location)."""
    width, height = PHOTO_SIZE
    coarse = Image.effect_noise((width // 4, height // 4), 60).resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    fine = Image.effect_noise(PHOTO_SIZE, 18)
    light = Image.linear_gradient('L').resize(PHOTO_SIZE)
    picture = Image.merge(
        'RGB',
        (
            Image.blend(light, coarse, 0.5),
            Image.blend(coarse, fine, 0.5),
            Image.blend(light.transpose(Image.Transpose.ROTATE_180), fine, 0.3),
        ),
    )
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = 'Apple', 'iPhone 15', 6  # Make, Model, Orientation
    exif[0x8825] = {1: 'N', 2: (45.0, 30.0, 15.0), 3: 'W', 4: (73.0, 34.0, 10.0)}  # GPSInfo
    out = BytesIO()
    picture.save(out, 'JPEG', quality=90, exif=exif.tobytes())
    return out.getvalue()


def rss_mb() -> float:
    return _status('VmRSS')


def _status(field: str) -> float:
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith(f'{field}:'):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Start the kernel's high-water mark (VmHWM) again from the RSS now."""
    Path('/proc/self/clear_refs').write_text('5')


async def _photos(guardian: Actor, child_ids: list[int]) -> Photos:
    import gc

    data, bomb = phone_photo(), making.bomb()
    await photos.upload_photo(guardian, child_ids[0], data)  # warm up: imports, the decoder's first use
    timed = []
    for number in range(TIMED_UPLOADS):
        began = time.perf_counter()
        await photos.upload_photo(guardian, child_ids[number % len(child_ids)], data)
        timed.append((time.perf_counter() - began) * 1000)
    gc.collect()
    before = rss_mb()
    reset_peak()
    for number in range(MEMORY_UPLOADS):
        await photos.upload_photo(guardian, child_ids[number % len(child_ids)], data)
    peak = _status('VmHWM')
    gc.collect()
    kept = rss_mb()
    idle = await _ticking(lambda: asyncio.sleep(1.0))
    stalls, together, decodes = [], [], []
    for _ in range(STALL_ROUNDS):  # in turn with the decodes alone: where a stall comes from
        began = time.perf_counter()
        stalls.append(
            await _ticking(lambda: asyncio.gather(*(photos.upload_photo(guardian, c, data) for c in child_ids)))
        )
        together.append(time.perf_counter() - began)
        decodes.append(
            await _ticking(
                lambda: asyncio.gather(*(asyncio.to_thread(images.square_photo, photos.FIELD, data) for _ in child_ids))
            )
        )
    longest_callback = await _longest_callback(
        lambda: asyncio.gather(*(photos.upload_photo(guardian, c, data) for c in child_ids))
    )
    bomb_ms, refused = [], True
    gc.collect()
    bomb_before = rss_mb()
    reset_peak()
    for _ in range(BOMB_TRIES):
        began = time.perf_counter()
        try:
            await photos.upload_photo(guardian, child_ids[0], bomb)
            refused = False
        except ValidationFailed as failure:
            refused = refused and photos.FIELD in failure.errors
        bomb_ms.append((time.perf_counter() - began) * 1000)
    bomb_peak = _status('VmHWM') - bomb_before
    return Photos(
        len(data),
        timed,
        before,
        peak - before,
        kept - before,
        idle,
        stalls,
        together,
        decodes,
        longest_callback,
        len(bomb),
        bomb_ms,
        refused,
        bomb_peak,
    )


async def _ticking(work: Callable[[], Awaitable[object]]) -> float:
    """The worst lateness (ms) of a ticker that asks to wake every 5 ms while `work` runs."""
    worst = 0.0
    done = False

    async def ticker() -> None:
        nonlocal worst
        while not done:
            began = time.perf_counter()
            await asyncio.sleep(TICK)
            worst = max(worst, time.perf_counter() - began - TICK)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    try:
        await work()
    finally:
        done = True
        await task
    return worst * 1000


async def _longest_callback(work: Callable[[], Awaitable[object]]) -> float:
    """The longest single callback the event loop ran (ms) while `work` ran, as asyncio's debug mode reports
    callbacks slower than 1 ms: what the loop itself spent without yielding, as opposed to waiting for a core."""
    loop = asyncio.get_running_loop()
    took: list[float] = [0.0]

    class Slow(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.msg.startswith('Executing') and isinstance(record.args, tuple):
                took.append(float(str(record.args[-1])) * 1000)

    watcher = Slow()
    logger = logging.getLogger('asyncio')
    logger.addHandler(watcher)
    logger.propagate, propagated = False, logger.propagate  # counted here, not printed
    slow, loop_debug = loop.slow_callback_duration, loop.get_debug()
    loop.slow_callback_duration = 0.001
    loop.set_debug(True)
    try:
        await work()
    finally:
        loop.slow_callback_duration = slow
        loop.set_debug(loop_debug)
        await asyncio.sleep(0)  # ends this step, begun in debug mode, while its report is still caught here
        logger.removeHandler(watcher)
        logger.propagate = propagated
    return max(took)


# Serving


def pdf(size: int) -> bytes:
    return b'%PDF-1.4\n' + os.urandom(size - 16) + b'\n%%EOF\n'


async def _serving(work: Path) -> Serving:
    from moto.server import ThreadedMotoServer

    from domain.config import S3Settings
    from pages.endpoints.files import stored_file

    data = pdf(PDF_MB * MB)
    local = storage.storage()
    logging.getLogger('werkzeug').setLevel(logging.WARNING)  # moto's server logs every request otherwise
    server = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        s3 = storage.S3Storage(
            S3Settings(
                bucket='kinroll-bench',
                endpoint_url=f'http://{host}:{port}',
                region='us-east-1',
                access_key_id='bench-key',
                secret_access_key='bench-secret',
            )
        )
        await s3.ensure_bucket()
        tokens = {}
        for name, adapter in (('local', local), ('s3', s3)):
            storage.configure(adapter)
            async with UnitOfWork() as uow:
                file = await stored.keep(uow, data, folder='resources', content_type='application/pdf', extension='pdf')
            tokens[name] = links.link(file, download=True, lifetime=dt.timedelta(hours=1)).rsplit('/', 1)[-1]
        others = {name: None for name in inspect.signature(stored_file).parameters if name != 'token'}
        timings: dict[str, list[float]] = {'local': [], 's3': []}
        whole = True
        for turn in range(SERVES + 1):
            for name, adapter in (('local', local), ('s3', s3)):
                storage.configure(adapter)
                began = time.perf_counter()
                answer = await stored_file(tokens[name], **others)
                body = await _body(answer)
                taken = time.perf_counter() - began
                whole = whole and answer.status_code == 200 and body == data
                if turn:  # the first turn warms both up
                    timings[name].append(taken)
        return Serving(timings['local'], timings['s3'], len(data), whole)
    finally:
        storage.configure(local)
        server.stop()


async def _body(answer) -> bytes:
    """A Response's bytes, or a streamed one's, read to the end as the server would send them."""
    if hasattr(answer, 'body_iterator'):
        parts = [part if isinstance(part, bytes) else part.encode() async for part in answer.body_iterator]
        return b''.join(parts)
    return bytes(answer.body)


# Reads that grow with the studio


async def _classes(admin: StaffActor) -> list[int]:
    today = settings.today()
    starts = today - dt.timedelta(days=today.weekday(), weeks=2)
    ends = starts + dt.timedelta(weeks=20, days=-2)
    term = await catalogue.add_term(admin, TermForm('Sharing', starts, ends, f'{starts - dt.timedelta(days=30)}T09:00'))
    location = await catalogue.add_location(admin, LocationForm('Adams Street'))
    room = await catalogue.add_room(admin, location.id, RoomForm('Studio A'))
    made = []
    for number in range(CLASSES):
        form = CourseForm(
            f'Class {number + 1:02d}',
            term.id,
            location.id,
            starts,
            ends,
            '20',
            '60.00',
            (PatternForm((number % 5,), f'{15 + number % 4}:00', f'{16 + number % 4}:00'),),
            room_id=room.id,
            status='active',
            shown_to_families=True,
            self_enrol=True,
        )
        made.append((await catalogue.add_course(admin, form)).id)
    return made


async def _reader(admin: StaffActor, courses: list[int]) -> Actor:
    """A family whose one child is enrolled in 3 of the 40 classes."""
    actor, (child,) = await family('Reader', children=('Ava',))
    for course_id in courses[:ENROLLED_IN]:
        await enrolment.enrol_by_staff(admin, child.id, course_id)
    return actor


async def _share(admin: StaffActor, courses: list[int], reader: Actor, posts: int, resources: int, *, first: bool):
    """Posts and resources up to `posts` and `resources`, round-robin over the classes (every tenth post to
    everyone; every third resource a small PDF, the rest links); the reader has opened every fourth post."""
    from domain.resources import resources as shared

    already_posts, already_resources = (0, 0) if first else (POSTS // SMALL, RESOURCES // SMALL)
    for number in range(already_posts, posts):
        audience = news.EVERYONE if number % 10 == 0 else Audience(AudienceKind.CLASS, courses[number % len(courses)])
        form = news.PostForm(
            title=f'Post {number}', body=f'Costumes for the winter show, part {number}.', audience=audience
        )
        post = await news.publish(admin, form)
        if number % 4 == 0:
            await NewsRead.create(
                post_id=post.id, contact_id=reader.contact_id, family_id=reader.family_id, read_at=post.appears_at
            )
    for number in range(already_resources, resources):
        audience = Audience(AudienceKind.CLASS, courses[number % len(courses)])
        if number % 3 == 0:
            await shared.add_file(
                admin,
                title=f'Guide {number}',
                description='What to bring',
                audience=audience,
                include_waiting=False,
                data=pdf(2048),
                file_name=f'guide-{number}.pdf',
            )
        else:
            await shared.add_link(
                admin,
                title=f'Video {number}',
                description='Practice at home',
                audience=audience,
                include_waiting=False,
                url=f'https://videos.example.com/{number}',
            )


@dataclass
class _Counted:
    queries: int = 0
    rows: int = 0


@contextlib.contextmanager
def counting() -> Iterator[_Counted]:
    """Every query the default connection runs meanwhile, and the rows it returns."""
    from tortoise import connections

    counted = _Counted()
    client = type(connections.get('default'))
    plain, as_dicts = client.execute_query, client.execute_query_dict

    async def execute_query(self, query, values=None):
        answer = await plain(self, query, values)
        counted.queries += 1
        counted.rows += len(answer[1])
        return answer

    async def execute_query_dict(self, query, values=None):
        answer = await as_dicts(self, query, values)
        counted.queries += 1
        counted.rows += len(answer)
        return answer

    client.execute_query, client.execute_query_dict = execute_query, execute_query_dict  # type: ignore[method-assign]
    try:
        yield counted
    finally:
        client.execute_query, client.execute_query_dict = plain, as_dicts  # type: ignore[method-assign]


async def _reads(reader: Actor, posts: int, resources: int) -> Read:
    from domain.resources import resources as shared

    sizes = {}
    counts = {}
    for name, read in (('news', news.family_news), ('resources', shared.family_resources)):
        with counting() as counted:
            sizes[name] = len(await read(reader))
        counts[name] = counted
    times: dict[str, list[float]] = {'news': [], 'resources': []}
    for _ in range(READS):  # in turn, so a slow stretch of the machine lands on both
        for name, read in (('news', news.family_news), ('resources', shared.family_resources)):
            began = time.perf_counter()
            await read(reader)
            times[name].append((time.perf_counter() - began) * 1000)
    return Read(
        posts,
        resources,
        statistics.median(times['news']),
        counts['news'].queries,
        counts['news'].rows,
        sizes['news'],
        statistics.median(times['resources']),
        counts['resources'].queries,
        counts['resources'].rows,
        sizes['resources'],
    )
