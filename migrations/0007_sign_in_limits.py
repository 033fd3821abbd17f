"""Limits that hold under simultaneous requests: a staff authenticator code is used once, and one IP's wrong
passwords are counted quickly.

The index serves the count of an IP's failed sign-ins over the last hour (sign_in.py): without it, that count
would read every line of the hour, and an attack is exactly when the hour holds many. Like the search index of
0005 it is not part of a model; the portal log model does not need to know.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


async def failed_sign_ins_by_ip_index(apps, schema_editor) -> None:
    await schema_editor.client.execute_script(
        'CREATE INDEX IF NOT EXISTS portal_event_client_ip_occurred_at ON portal_event (client_ip, occurred_at)'
    )


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0006_staff_audit')]

    initial = False

    operations = [
        ops.AddField(
            model_name='StaffUser',
            name='last_totp_step',
            field=fields.IntField(null=True),
        ),
        ops.RunPython(failed_sign_ins_by_ip_index),
    ]
