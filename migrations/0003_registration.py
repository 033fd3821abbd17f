from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.models import Channel, CodePurpose, QuestionKind, QuestionScope
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

PERMANENT = ('agreement', 'policy_version')  # what a parent agreed to, and the words they agreed to


async def make_permanent(apps, schema_editor) -> None:
    """Refuse UPDATE and DELETE on agreements and policy versions in the database itself."""
    client = schema_editor.client
    if client.capabilities.dialect == 'postgres':
        await client.execute_script(
            "CREATE OR REPLACE FUNCTION kinroll_permanent() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% rows are permanent', TG_TABLE_NAME; END $$ LANGUAGE plpgsql")
        for table in PERMANENT:
            await client.execute_script(
                f'CREATE TRIGGER {table}_permanent BEFORE UPDATE OR DELETE ON {table} '
                'FOR EACH ROW EXECUTE FUNCTION kinroll_permanent()')
        return
    for table in PERMANENT:
        for action in ('UPDATE', 'DELETE'):
            await client.execute_script(
                f'CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} '
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are permanent'); END")


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0002_access')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Policy',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('position', fields.IntField(default=0)),
                ('retired_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'policy', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': 'A legal policy. Its words live in versions: editing adds one, and old versions never change.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PolicyVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('policy', fields.ForeignKeyField('kinroll.Policy', source_field='policy_id', db_constraint=True, to_field='id', related_name='versions', on_delete=OnDelete.RESTRICT)),
                ('version', fields.IntField()),
                ('title', fields.CharField(max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_by', fields.CharField(default='', max_length=120)),
            ],
            options={'table': 'policy_version', 'app': 'kinroll', 'unique_together': (('policy', 'version'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Agreement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('family', fields.ForeignKeyField('kinroll.Family', source_field='family_id', db_constraint=True, to_field='id', related_name='agreements', on_delete=OnDelete.RESTRICT)),
                ('contact_id', fields.IntField(null=True)),
                ('contact_name', fields.CharField(max_length=160)),
                ('policy_version', fields.ForeignKeyField('kinroll.PolicyVersion', source_field='policy_version_id', db_constraint=True, to_field='id', related_name='agreements', on_delete=OnDelete.RESTRICT)),
                ('title_shown', fields.CharField(max_length=200)),
                ('text_shown', fields.TextField(unique=False)),
                ('typed_name', fields.CharField(max_length=160)),
                ('agreed_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('client_ip', fields.CharField(default='', max_length=45)),
                ('user_agent', fields.CharField(default='', max_length=400)),
            ],
            options={'table': 'agreement', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': "A parent's agreement to one policy version, with exactly what they saw and typed."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Question',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('prompt', fields.CharField(max_length=300)),
                ('kind', fields.CharEnumField(description='SHORT_TEXT: short_text\nLONG_TEXT: long_text\nYES_NO: yes_no\nSINGLE_CHOICE: single_choice\nMULTIPLE_CHOICE: multiple_choice\nDATE: date\nNUMBER: number', enum_type=QuestionKind, max_length=16)),
                ('choices', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('required', fields.BooleanField(default=False)),
                ('scope', fields.CharEnumField(default=QuestionScope.FAMILY, description='FAMILY: family\nPARTICIPANT: participant', enum_type=QuestionScope, max_length=16)),
                ('position', fields.IntField(default=0)),
                ('retired_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'question', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': "One of the studio's own registration questions. Retired, never deleted: answers point at it."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Answer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('question', fields.ForeignKeyField('kinroll.Question', source_field='question_id', db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.RESTRICT)),
                ('family', fields.ForeignKeyField('kinroll.Family', source_field='family_id', db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.RESTRICT)),
                ('participant', fields.ForeignKeyField('kinroll.Participant', source_field='participant_id', null=True, db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.RESTRICT)),
                ('prompt', fields.CharField(max_length=300)),
                ('kind', fields.CharEnumField(description='SHORT_TEXT: short_text\nLONG_TEXT: long_text\nYES_NO: yes_no\nSINGLE_CHOICE: single_choice\nMULTIPLE_CHOICE: multiple_choice\nDATE: date\nNUMBER: number', enum_type=QuestionKind, max_length=16)),
                ('value', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('answered_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'answer', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': "A family's (or one participant's) answer, with the question's wording as it was asked."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RegistrationDraft',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('destination', fields.CharField(unique=True, max_length=254)),
                ('channel', fields.CharEnumField(description='EMAIL: email\nSMS: sms', enum_type=Channel, max_length=8)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('step', fields.CharField(default='you', max_length=20)),
                ('data', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('verified_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'registration_draft', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': 'A registration in progress, kept step by step so a parent never types anything twice.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='AccessCode',
            name='purpose',
            field=fields.CharEnumField(default=CodePurpose.SIGN_IN, description='SIGN_IN: sign_in\nREGISTER: register', db_default=CodePurpose.SIGN_IN, enum_type=CodePurpose, max_length=16),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='policy_renewal_months',
            field=fields.IntField(default=12, db_default=12),
        ),
        ops.RunPython(make_permanent),
    ]
