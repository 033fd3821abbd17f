"""Staff remove a participant who left the studio (issue 14, point 5): a removal that keeps the child's history
(agreements, answers, log lines, payments) readable by staff, and takes them off the parents' pages. Existing
participants stay in their family.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0011_edit_versions')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Participant',
            name='removed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
