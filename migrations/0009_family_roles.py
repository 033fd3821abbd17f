"""Who in a family may do what (issue 14, points 1 to 3): each contact's role, a removal that keeps the contact's
history, an address typed for a contact by someone else kept apart from their sign-in until they prove it, and a
mobile number's proof; a new sign-in email or mobile waits in address_change for the code sent to it.

Existing contacts keep what they had: a guardian, the billing contact of a family with none becomes the primary
contact, and a mobile number that signed in alone stays a sign-in. A number several contacts share stays
unproven, so a code sent to it chooses none of them (domain/access/codes.py).
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from domain.models import ContactRole


async def existing_contacts_keep_what_they_had(apps, schema_editor) -> None:
    client = schema_editor.client
    await client.execute_script(
        'UPDATE contact SET mobile_verified = TRUE WHERE mobile_phone IS NOT NULL AND mobile_phone IN '
        '(SELECT mobile_phone FROM contact WHERE mobile_phone IS NOT NULL GROUP BY mobile_phone HAVING COUNT(*) = 1)'
    )
    await client.execute_script(
        'UPDATE contact SET is_billing = TRUE WHERE is_primary AND NOT EXISTS '
        '(SELECT 1 FROM contact other WHERE other.family_id = contact.family_id AND other.is_billing)'
    )


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0008_sealed_authenticator_secrets')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Contact',
            name='role',
            field=fields.CharEnumField(
                default=ContactRole.GUARDIAN,
                db_default=ContactRole.GUARDIAN,
                description='GUARDIAN: guardian\nGUARDIAN_NO_BILLING: guardian_no_billing\nPICKUP: pickup\n'
                'EMERGENCY: emergency',
                enum_type=ContactRole,
                max_length=24,
            ),
        ),
        ops.AddField(
            model_name='Contact',
            name='pending_email',
            field=fields.CharField(default='', db_default='', db_index=True, max_length=254),
        ),
        ops.AddField(
            model_name='Contact',
            name='mobile_verified',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Contact',
            name='removed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.CreateModel(
            name='AddressChange',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    'contact',
                    fields.ForeignKeyField(
                        'kinroll.Contact',
                        source_field='contact_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='address_changes',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ('field', fields.CharField(max_length=16)),
                ('new_value', fields.CharField(max_length=254)),
                ('code_hash', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('wrong_entries', fields.IntField(default=0)),
            ],
            options={
                'table': 'address_change',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': "A contact's own new sign-in email or mobile, waiting for the code sent to it. "
                "Only the code's keyed hash.",
            },
            bases=['Model'],
        ),
        ops.RunPython(existing_contacts_keep_what_they_had),
    ]
