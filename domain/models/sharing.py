"""What the studio shares with families (issue 18): stored files, news, class resources, student photos, and
the studio's own messages. A file's bytes live in the storage adapter, its record here."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from domain.models.family import Participant


class StoredFile(Model):
    """One file kept by the storage adapter (a local folder or S3-compatible storage), by its key."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=200, unique=True)  # the adapter's name for it, never a parent's file name
    content_type = fields.CharField(max_length=100)  # found from the content, not from the name
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64)
    original_name = fields.CharField(max_length=255, default='')  # shown and offered on download, as data
    created_at = fields.DatetimeField()

    class Meta:
        table = 'stored_file'


class AudienceKind(StrEnum):
    """Who a post, a resource or a studio message is for, with `audience_id` naming which one."""

    EVERYONE = 'everyone'  # every active family
    LOCATION = 'location'  # the families with a child enrolled in a class at the location
    CLASS = 'class'  # the families with a child enrolled in the class
    SESSION = 'session'  # the families with a child enrolled in a class of the session (a Term)
    EVENT = 'event'  # the families registered for a date of the event (an EventType)
    WAITLIST = 'waitlist'  # the families waiting for the class
    FAMILY = 'family'  # one family
    PARTICIPANT = 'participant'  # one child (resources only)


class NewsPost(Model):
    """A post on the families' dashboard, shown between `appears_at` and `disappears_at` to its audience.

    `title` and `body` are in the studio's language, and `translations` maps another language code to
    {"title": ..., "body": ...}. The body is Markdown shown with any HTML escaped.
    """

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    translations: fields.Field[dict] = fields.JSONField(default=dict)  # type: ignore[assignment]
    image: fields.ForeignKeyNullableRelation[StoredFile] = fields.ForeignKeyField(
        'kinroll.StoredFile', related_name='news_posts', null=True, on_delete=fields.SET_NULL
    )
    image_id: int | None
    audience_kind = fields.CharEnumField(AudienceKind, max_length=16, default=AudienceKind.EVERYONE)
    audience_id = fields.IntField(null=True)
    appears_at = fields.DatetimeField(db_index=True)
    disappears_at = fields.DatetimeField(null=True)
    pinned = fields.BooleanField(default=False)
    send_email = fields.BooleanField(default=False)
    send_text = fields.BooleanField(default=False)
    sent_at = fields.DatetimeField(null=True)  # when its email and texts were queued, once
    created_by = fields.CharField(max_length=160)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    version = fields.IntField(default=1)  # raised by every save: an edit loaded before it is stale
    removed_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'news_post'


class NewsRead(Model):
    """A contact opened a post: unread posts come first, and staff see how many families read each."""

    id = fields.IntField(primary_key=True)
    post: fields.ForeignKeyRelation[NewsPost] = fields.ForeignKeyField(
        'kinroll.NewsPost', related_name='reads', on_delete=fields.CASCADE
    )
    post_id: int
    family_id = fields.IntField(db_index=True)
    contact_id = fields.IntField()
    read_at = fields.DatetimeField()

    class Meta:
        table = 'news_read'
        unique_together = (('post', 'contact_id'),)


class ResourceKind(StrEnum):
    FILE = 'file'
    LINK = 'link'


class Resource(Model):
    """A file or a link staff attached to a class, a session, an event or one child."""

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=200)
    description = fields.TextField(default='')
    kind = fields.CharEnumField(ResourceKind, max_length=8)
    file: fields.ForeignKeyNullableRelation[StoredFile] = fields.ForeignKeyField(
        'kinroll.StoredFile', related_name='resources', null=True, on_delete=fields.RESTRICT
    )
    file_id: int | None
    url = fields.CharField(max_length=1000, default='')  # a link's address (https only)
    audience_kind = fields.CharEnumField(AudienceKind, max_length=16)  # class, session, event or participant
    audience_id = fields.IntField()
    include_waiting = fields.BooleanField(default=False)  # families waiting for the class see it too
    created_by = fields.CharField(max_length=160)
    created_at = fields.DatetimeField()
    removed_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'resource'


class PhotoStatus(StrEnum):
    PENDING = 'pending'  # waits for staff review; the child's current photo (if any) still shows
    CURRENT = 'current'  # the one shown
    REPLACED = 'replaced'  # shown once, replaced by a newer one
    REJECTED = 'rejected'


class ParticipantPhoto(Model):
    """A child's photo, re-encoded square at 512 px with a thumbnail, with no EXIF or location data."""

    id = fields.IntField(primary_key=True)
    participant: fields.ForeignKeyRelation[Participant] = fields.ForeignKeyField(
        'kinroll.Participant', related_name='photos', on_delete=fields.CASCADE
    )
    participant_id: int
    family_id = fields.IntField(db_index=True)
    image: fields.ForeignKeyRelation[StoredFile] = fields.ForeignKeyField(
        'kinroll.StoredFile', related_name='photos', on_delete=fields.RESTRICT
    )
    image_id: int
    thumbnail: fields.ForeignKeyRelation[StoredFile] = fields.ForeignKeyField(
        'kinroll.StoredFile', related_name='photo_thumbnails', on_delete=fields.RESTRICT
    )
    thumbnail_id: int
    status = fields.CharEnumField(PhotoStatus, max_length=16, db_index=True)
    uploaded_by = fields.CharField(max_length=160)
    uploaded_at = fields.DatetimeField()
    reviewed_by = fields.CharField(max_length=160, default='')
    reviewed_at = fields.DatetimeField(null=True)
    reject_reason = fields.TextField(default='')

    class Meta:
        table = 'participant_photo'


class StudioMessageChannel(StrEnum):
    EMAIL = 'email'
    TEXT = 'text'


class StudioMessage(Model):
    """An email or a text staff wrote to an audience or to one family, each copy of it is an outbox message."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharEnumField(StudioMessageChannel, max_length=8)
    subject = fields.CharField(max_length=200, default='')
    body = fields.TextField()
    audience_kind = fields.CharEnumField(AudienceKind, max_length=16)
    audience_id = fields.IntField(null=True)
    mass = fields.BooleanField()  # to an audience: contacts who opted out of mass email are left out
    recipients = fields.IntField(default=0)
    created_by = fields.CharField(max_length=160)
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = 'studio_message'
