"""The studio may have each month's tuition posted by itself on the month's first day (issue 15, point 11)."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0015_checkout_policies')]

    initial = False

    operations = [
        ops.AddField(
            model_name='StudioSettings',
            name='monthly_tuition',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
