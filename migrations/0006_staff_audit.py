from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields


async def staff_audit_is_append_only(apps, schema_editor) -> None:
    """What staff changed stays as it was written: the database refuses to change or remove an entry."""
    client = schema_editor.client
    if client.capabilities.dialect == 'postgres':  # kinroll_permanent() comes from migration 0003
        await client.execute_script('CREATE TRIGGER staff_audit_permanent BEFORE UPDATE OR DELETE ON staff_audit '
                                    'FOR EACH ROW EXECUTE FUNCTION kinroll_permanent()')
        return
    for action in ('UPDATE', 'DELETE'):
        await client.execute_script(f'CREATE TRIGGER staff_audit_no_{action.lower()} BEFORE {action} ON staff_audit '
                                    "BEGIN SELECT RAISE(ABORT, 'staff_audit rows are permanent'); END")


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0005_log_search')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StaffAuditEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('occurred_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('staff_id', fields.IntField(db_index=True)),
                ('staff_name', fields.CharField(max_length=120)),
                ('staff_email', fields.CharField(max_length=254)),
                ('action', fields.CharField(max_length=40)),
                ('target', fields.CharField(max_length=300)),
                ('family_id', fields.IntField(null=True, db_index=True)),
                ('old_values', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('new_values', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'staff_audit', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': 'One change by one staff member. Names are copied in, so the entry reads the same after edits.'},
            bases=['Model'],
        ),
        ops.RunPython(staff_audit_is_append_only),
    ]
