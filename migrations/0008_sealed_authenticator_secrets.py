"""Staff authenticator secrets are kept sealed (domain/access/sealed_secrets.py), in a column named for it and
wide enough for a sealed value.

A migration cannot seal the secrets kept in clear until now: it runs before the deployment's secret is handed
over. The portal seals them as it starts (staff_accounts.seal_secrets_kept_in_clear), right after this.

SQLite keeps text of any length in a VARCHAR column, and widening one there would rebuild the table, whose
DROP would take every staff member's sessions with it (their foreign keys cascade): only PostgreSQL's column
grows.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class WidenOnPostgres(ops.AlterField):
    async def database_forward(self, app_label, old_state, new_state, state_editor=None) -> None:
        if state_editor and state_editor.client.capabilities.dialect == 'postgres':
            await super().database_forward(app_label, old_state, new_state, state_editor)

    async def database_backward(self, app_label, old_state, new_state, state_editor=None) -> None:
        if state_editor and state_editor.client.capabilities.dialect == 'postgres':
            await super().database_backward(app_label, old_state, new_state, state_editor)


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0007_sign_in_limits')]

    initial = False

    operations = [
        ops.RenameField(model_name='StaffUser', old_name='totp_secret', new_name='totp_sealed'),
        WidenOnPostgres(
            model_name='StaffUser',
            name='totp_sealed',
            field=fields.CharField(default='', db_default='', max_length=255),
        ),
    ]
