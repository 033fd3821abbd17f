from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.models import Channel, DeliveryStatus, SignInMethods
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('kinroll', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AccessCode',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('attempt_id', fields.CharField(unique=True, max_length=64)),
                ('destination', fields.CharField(db_index=True, max_length=254)),
                ('channel', fields.CharEnumField(description='EMAIL: email\nSMS: sms', enum_type=Channel, max_length=8)),
                ('code_hash', fields.CharField(max_length=64)),
                ('client_ip', fields.CharField(default='', db_index=True, max_length=45)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('wrong_entries', fields.IntField(default=0)),
            ],
            options={'table': 'access_code', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': 'A one-time sign-in code, bound to the attempt (browser) it was sent for. Only its keyed hash is kept.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('family_id', fields.IntField(null=True, db_index=True)),
                ('contact_id', fields.IntField(null=True)),
                ('channel', fields.CharEnumField(description='EMAIL: email\nSMS: sms', enum_type=Channel, max_length=8)),
                ('kind', fields.CharField(max_length=40)),
                ('recipient_name', fields.CharField(default='', max_length=160)),
                ('to_address', fields.CharField(max_length=254)),
                ('from_address', fields.CharField(default='', max_length=254)),
                ('language', fields.CharField(default='en', max_length=8)),
                ('subject', fields.CharField(default='', max_length=200)),
                ('body_text', fields.TextField(unique=False)),
                ('body_html', fields.TextField(default='', unique=False)),
                ('secret', fields.CharField(null=True, max_length=255)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(default=DeliveryStatus.QUEUED, db_index=True, description='QUEUED: queued\nSENT: sent\nFAILED: failed', enum_type=DeliveryStatus, max_length=8)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_message', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': "Every email and text the portal sends, kept as the family's message history."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PasswordReset',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('contact', fields.ForeignKeyField('kinroll.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='password_resets', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('client_ip', fields.CharField(default='', max_length=45)),
            ],
            options={'table': 'password_reset', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': 'A single-use "forgot password" link. Only the hash of its token is kept.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Contact',
            name='password_expires_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Contact',
            name='password_must_change',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='StaffUser',
            name='locked_until',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='StaffUser',
            name='totp_confirmed',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='StaffUser',
            name='totp_secret',
            field=fields.CharField(default='', db_default='', max_length=64),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='message_retention_days',
            field=fields.IntField(default=180, db_default=180),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='sign_in_methods',
            field=fields.CharEnumField(default=SignInMethods.BOTH, description='BOTH: both\nCODES: codes\nPASSWORD: password', db_default=SignInMethods.BOTH, enum_type=SignInMethods, max_length=16),
        ),
    ]
