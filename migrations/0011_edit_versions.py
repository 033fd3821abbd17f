"""Edits never lose data (issue 14, point 4): every contact and participant carries a version, which each save
raises by one in the statement that writes it, and only where it is still the version the form was loaded with.
Existing rows start at 1.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0010_cards_kept_once')]

    initial = False

    operations = [
        ops.AddField(model_name='Contact', name='version', field=fields.IntField(default=1, db_default=1)),
        ops.AddField(model_name='Participant', name='version', field=fields.IntField(default=1, db_default=1)),
    ]
