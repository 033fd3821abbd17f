from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.models import PaymentStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

async def ledger_is_append_only(apps, schema_editor) -> None:
    """Ledger entries are appended, never changed or removed: a correction is a new entry."""
    client = schema_editor.client
    if client.capabilities.dialect == 'postgres':  # kinroll_permanent() comes from migration 0003
        await client.execute_script('CREATE TRIGGER ledger_entry_permanent BEFORE UPDATE OR DELETE ON ledger_entry '
                                    'FOR EACH ROW EXECUTE FUNCTION kinroll_permanent()')
        return
    for action in ('UPDATE', 'DELETE'):
        await client.execute_script(f'CREATE TRIGGER ledger_entry_no_{action.lower()} BEFORE {action} ON ledger_entry '
                                    "BEGIN SELECT RAISE(ABORT, 'ledger_entry rows are permanent'); END")


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0003_registration')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Payment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('idempotency_key', fields.CharField(unique=True, max_length=64)),
                ('family', fields.ForeignKeyField('kinroll.Family', source_field='family_id', db_constraint=True, to_field='id', related_name='payments', on_delete=OnDelete.RESTRICT)),
                ('contact_id', fields.IntField(null=True)),
                ('amount', fields.DecimalField(max_digits=12, decimal_places=2)),
                ('fee', fields.DecimalField(max_digits=12, decimal_places=2)),
                ('total', fields.DecimalField(max_digits=12, decimal_places=2)),
                ('currency', fields.CharField(max_length=3)),
                ('status', fields.CharEnumField(default=PaymentStatus.PENDING, db_index=True, description='PENDING: pending\nAPPROVED: approved\nDECLINED: declined', enum_type=PaymentStatus, max_length=16)),
                ('gateway', fields.CharField(max_length=20)),
                ('card_token', fields.CharField(default='', max_length=255)),
                ('card_brand', fields.CharField(default='', max_length=20)),
                ('card_last4', fields.CharField(default='', max_length=4)),
                ('reference', fields.CharField(default='', max_length=255)),
                ('decline_code', fields.CharField(default='', max_length=40)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('checks', fields.IntField(default=0)),
            ],
            options={'table': 'payment', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': "One checkout: recorded before the processor is asked, under the checkout's idempotency key."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SavedCard',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('family', fields.ForeignKeyField('kinroll.Family', source_field='family_id', db_constraint=True, to_field='id', related_name='cards', on_delete=OnDelete.RESTRICT)),
                ('gateway', fields.CharField(max_length=20)),
                ('token', fields.CharField(max_length=255)),
                ('brand', fields.CharField(max_length=20)),
                ('last4', fields.CharField(max_length=4)),
                ('exp_month', fields.IntField()),
                ('exp_year', fields.IntField()),
                ('is_default', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'saved_card', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': "A family's card on file: only what the processor lets anyone see, and its token. Never the number."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Family',
            name='gateway_customer',
            field=fields.CharField(default='', db_default='', max_length=255),
        ),
        ops.AddField(
            model_name='LedgerEntry',
            name='posted_by',
            field=fields.CharField(default='', db_default='', max_length=120),
        ),
        ops.AddField(
            model_name='LedgerEntry',
            name='source',
            field=fields.CharField(null=True, unique=True, max_length=64),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='allow_prepay',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='card_fee_percent',
            field=fields.DecimalField(default=0, db_default=0, max_digits=5, decimal_places=2),
        ),
        ops.RunPython(ledger_is_append_only),
    ]
