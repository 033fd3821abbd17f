"""A card is kept once, and only once a processor has approved it (issue 14, point 6); the studio's address for
its statements (point 20).

A saved card gets the processor's fingerprint, so the same card typed again is recognised. Cards saved before
this migration get the sandbox's kind of fingerprint, their brand, last four digits and expiry (the label
`label_fingerprint` in domain/adapters/gateways.py makes). A payment made with a new card the parent asked to
keep carries that card's expiry and fingerprint until it is approved, which may be long after the request that
made it.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


async def fingerprints_of_saved_cards(apps, schema_editor) -> None:
    client = schema_editor.client
    month = (
        "lpad(exp_month::text, 2, '0')" if client.capabilities.dialect == 'postgres' else "printf('%02d', exp_month)"
    )
    await client.execute_script(
        f"UPDATE saved_card SET fingerprint = lower(brand) || ':' || last4 || ':' || {month} || '/' || exp_year "
        "WHERE fingerprint = ''"
    )


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0009_family_roles')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Payment',
            name='card_exp_month',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Payment',
            name='card_exp_year',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Payment',
            name='card_fingerprint',
            field=fields.CharField(default='', db_default='', max_length=64),
        ),
        ops.AddField(
            model_name='Payment',
            name='keep_card',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='SavedCard',
            name='fingerprint',
            field=fields.CharField(default='', db_index=True, db_default='', max_length=64),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='address',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
        ops.RunPython(fingerprints_of_saved_cards),
    ]
