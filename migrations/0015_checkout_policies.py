"""A policy can be asked only at the checkout of the classes and events that name it (issue 15, point 7)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('kinroll', '0014_enrolment')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Policy',
            name='at_checkout',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
