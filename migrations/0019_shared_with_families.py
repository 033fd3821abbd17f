"""What the studio shares with families (issue 18): stored files, news posts and who read them, class
resources, student photos, the studio's own messages, the mass-email opt-out and the settings for photos, news
and the logo. New tables and columns with defaults only.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.models.sharing import AudienceKind, PhotoStatus, ResourceKind, StudioMessageChannel
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('kinroll', '0018_absences_and_makeups')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StoredFile',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=200)),
                ('content_type', fields.CharField(max_length=100)),
                ('size', fields.BigIntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('original_name', fields.CharField(default='', max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'stored_file', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': 'One file kept by the storage adapter (a local folder or S3-compatible storage), by its key.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NewsPost',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('title', fields.CharField(max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('translations', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('image', fields.ForeignKeyField('kinroll.StoredFile', source_field='image_id', null=True, db_constraint=True, to_field='id', related_name='news_posts', on_delete=OnDelete.SET_NULL)),
                ('audience_kind', fields.CharEnumField(default=AudienceKind.EVERYONE, description='EVERYONE: everyone\nLOCATION: location\nCLASS: class\nSESSION: session\nEVENT: event\nWAITLIST: waitlist\nFAMILY: family\nPARTICIPANT: participant', enum_type=AudienceKind, max_length=16)),
                ('audience_id', fields.IntField(null=True)),
                ('appears_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('disappears_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('pinned', fields.BooleanField(default=False)),
                ('send_email', fields.BooleanField(default=False)),
                ('send_text', fields.BooleanField(default=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_by', fields.CharField(max_length=160)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('removed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'news_post', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': "A post on the families' dashboard, shown between `appears_at` and `disappears_at` to its audience."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NewsRead',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('post', fields.ForeignKeyField('kinroll.NewsPost', source_field='post_id', db_constraint=True, to_field='id', related_name='reads', on_delete=OnDelete.CASCADE)),
                ('family_id', fields.IntField(db_index=True)),
                ('contact_id', fields.IntField()),
                ('read_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'news_read', 'app': 'kinroll', 'unique_together': (('post', 'contact_id'),), 'pk_attr': 'id', 'table_description': 'A contact opened a post: unread posts come first, and staff see how many families read each.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ParticipantPhoto',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('participant', fields.ForeignKeyField('kinroll.Participant', source_field='participant_id', db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.CASCADE)),
                ('family_id', fields.IntField(db_index=True)),
                ('image', fields.ForeignKeyField('kinroll.StoredFile', source_field='image_id', db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.RESTRICT)),
                ('thumbnail', fields.ForeignKeyField('kinroll.StoredFile', source_field='thumbnail_id', db_constraint=True, to_field='id', related_name='photo_thumbnails', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(db_index=True, description='PENDING: pending\nCURRENT: current\nREPLACED: replaced\nREJECTED: rejected', enum_type=PhotoStatus, max_length=16)),
                ('uploaded_by', fields.CharField(max_length=160)),
                ('uploaded_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('reviewed_by', fields.CharField(default='', max_length=160)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reject_reason', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'participant_photo', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': "A child's photo, re-encoded square at 512 px with a thumbnail, with no EXIF or location data."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Resource',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('title', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('kind', fields.CharEnumField(description='FILE: file\nLINK: link', enum_type=ResourceKind, max_length=8)),
                ('file', fields.ForeignKeyField('kinroll.StoredFile', source_field='file_id', null=True, db_constraint=True, to_field='id', related_name='resources', on_delete=OnDelete.RESTRICT)),
                ('url', fields.CharField(default='', max_length=1000)),
                ('audience_kind', fields.CharEnumField(description='EVERYONE: everyone\nLOCATION: location\nCLASS: class\nSESSION: session\nEVENT: event\nWAITLIST: waitlist\nFAMILY: family\nPARTICIPANT: participant', enum_type=AudienceKind, max_length=16)),
                ('audience_id', fields.IntField()),
                ('include_waiting', fields.BooleanField(default=False)),
                ('created_by', fields.CharField(max_length=160)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('removed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'resource', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': 'A file or a link staff attached to a class, a session, an event or one child.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StudioMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.CharEnumField(description='EMAIL: email\nTEXT: text', enum_type=StudioMessageChannel, max_length=8)),
                ('subject', fields.CharField(default='', max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('audience_kind', fields.CharEnumField(description='EVERYONE: everyone\nLOCATION: location\nCLASS: class\nSESSION: session\nEVENT: event\nWAITLIST: waitlist\nFAMILY: family\nPARTICIPANT: participant', enum_type=AudienceKind, max_length=16)),
                ('audience_id', fields.IntField(null=True)),
                ('mass', fields.BooleanField()),
                ('recipients', fields.IntField(default=0)),
                ('created_by', fields.CharField(max_length=160)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'studio_message', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': 'An email or a text staff wrote to an audience or to one family, each copy of it is an outbox message.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Contact',
            name='mass_email_opt_out',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='studio_message_id',
            field=fields.IntField(null=True, db_index=True),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='logo_file_id',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='news_read_log',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='photo_consent_policy_id',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='photo_review',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
