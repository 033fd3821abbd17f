"""Enrolment (issue 15): instructors (a staff role and who teaches which class), policies asked for at a class's
or an event's checkout, enrolments, events with their occurrences and registrations, checkouts holding seats,
families' calendar feeds, the studio's enrolment settings and an email's calendar attachment. New tables and
columns with defaults only.

The staff role's third choice changes only the column's description: the column stays as it is, since altering
it on SQLite would rebuild `staff_user`, whose DROP would take every staff member's sessions with it.
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from domain.models.access import StaffRole
from domain.models.classes import EventRegistrant, OccurrenceStatus
from domain.models.studio import OpeningsShown


class DescribedOnly(ops.AlterField):
    """A change the database never sees: only the migration state's description of the column."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None

    async def database_backward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0013_catalogue')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    'family',
                    fields.ForeignKeyField(
                        'kinroll.Family',
                        source_field='family_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='calendar_feeds',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                'table': 'calendar_feed',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': "A family's private calendar address. Only the token's digest is kept, and revoking ends it for good.",
            },
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Checkout',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    'family',
                    fields.ForeignKeyField(
                        'kinroll.Family',
                        source_field='family_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='checkouts',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ('contact_id', fields.IntField()),
                ('opened_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('outcome', fields.CharField(default='', max_length=16)),
            ],
            options={
                'table': 'checkout',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': "A family's basket of seats, held for them until `expires_at`, then enrolled, let go or run out.",
            },
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CourseInstructor',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    'course',
                    fields.ForeignKeyField(
                        'kinroll.Course',
                        source_field='course_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='teaching',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    'staff',
                    fields.ForeignKeyField(
                        'kinroll.StaffUser',
                        source_field='staff_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='teaching',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ('position', fields.SmallIntField(default=0)),
            ],
            options={
                'table': 'course_instructor',
                'app': 'kinroll',
                'unique_together': (('course', 'staff'),),
                'pk_attr': 'id',
                'table_description': 'Who teaches a class, first instructor first. An instructor sees only the classes they teach.',
            },
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Enrolment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    'course',
                    fields.ForeignKeyField(
                        'kinroll.Course',
                        source_field='course_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='enrolments',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    'participant',
                    fields.ForeignKeyField(
                        'kinroll.Participant',
                        source_field='participant_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='enrolments',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    'family',
                    fields.ForeignKeyField(
                        'kinroll.Family',
                        source_field='family_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='enrolments',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ('starts_on', fields.DateField()),
                ('dropped_on', fields.DateField(null=True)),
                ('enrolled_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('enrolled_by', fields.CharField(max_length=160)),
                ('age_override_reason', fields.TextField(default='', unique=False)),
            ],
            options={
                'table': 'enrolment',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': "A child's place in a class from `starts_on`, until the day before `dropped_on` (None: still enrolled).",
            },
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EventType',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('description', fields.TextField(default='', unique=False)),
                ('fee', fields.DecimalField(max_digits=10, decimal_places=2)),
                (
                    'registrant',
                    fields.CharEnumField(
                        default=EventRegistrant.CHILDREN,
                        description='FAMILY: family\nCHILDREN: children',
                        enum_type=EventRegistrant,
                        max_length=16,
                    ),
                ),
                ('most_children', fields.SmallIntField(default=1)),
                ('min_age_months', fields.IntField(null=True)),
                ('max_age_months', fields.IntField(null=True)),
                ('age_cutoff', fields.DateField(null=True)),
                ('max_size', fields.IntField(null=True)),
                (
                    'location',
                    fields.ForeignKeyField(
                        'kinroll.Location',
                        source_field='location_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='events',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ('shown_to_families', fields.BooleanField(default=True)),
                (
                    'policies',
                    fields.ManyToManyField(
                        'kinroll.Policy',
                        unique=True,
                        db_constraint=True,
                        through='event_policy',
                        forward_key='policy_id',
                        backward_key='event_type_id',
                        related_name='events',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                'table': 'event_type',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': 'A workshop, party, camp or open house, with its fee and who may come, held on dated occurrences.',
            },
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EventOccurrence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    'event',
                    fields.ForeignKeyField(
                        'kinroll.EventType',
                        source_field='event_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='occurrences',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ('date', fields.DateField()),
                ('start_minute', fields.SmallIntField()),
                ('end_minute', fields.SmallIntField()),
                (
                    'room',
                    fields.ForeignKeyField(
                        'kinroll.Room',
                        source_field='room_id',
                        null=True,
                        db_constraint=True,
                        to_field='id',
                        related_name='occurrences',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ('capacity', fields.IntField()),
                (
                    'status',
                    fields.CharEnumField(
                        default=OccurrenceStatus.OPEN,
                        description='OPEN: open\nNOTICE: notice\nUNAVAILABLE: unavailable',
                        enum_type=OccurrenceStatus,
                        max_length=16,
                    ),
                ),
            ],
            options={'table': 'event_occurrence', 'app': 'kinroll', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EventRegistration',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    'occurrence',
                    fields.ForeignKeyField(
                        'kinroll.EventOccurrence',
                        source_field='occurrence_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='registrations',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    'family',
                    fields.ForeignKeyField(
                        'kinroll.Family',
                        source_field='family_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='event_registrations',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    'participant',
                    fields.ForeignKeyField(
                        'kinroll.Participant',
                        source_field='participant_id',
                        null=True,
                        db_constraint=True,
                        to_field='id',
                        related_name='event_registrations',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ('registered_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('registered_by', fields.CharField(max_length=160)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                'table': 'event_registration',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': 'A family (participant None) or one child registered for one occurrence, cancelled ones kept.',
            },
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SeatHold',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    'checkout',
                    fields.ForeignKeyField(
                        'kinroll.Checkout',
                        source_field='checkout_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='holds',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    'course',
                    fields.ForeignKeyField(
                        'kinroll.Course',
                        source_field='course_id',
                        null=True,
                        db_constraint=True,
                        to_field='id',
                        related_name='holds',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    'occurrence',
                    fields.ForeignKeyField(
                        'kinroll.EventOccurrence',
                        source_field='occurrence_id',
                        null=True,
                        db_constraint=True,
                        to_field='id',
                        related_name='holds',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    'participant',
                    fields.ForeignKeyField(
                        'kinroll.Participant',
                        source_field='participant_id',
                        null=True,
                        db_constraint=True,
                        to_field='id',
                        related_name='holds',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ('starts_on', fields.DateField(null=True)),
            ],
            options={
                'table': 'seat_hold',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': 'One seat a checkout holds: a child in a class, or a child (or the family) at an event occurrence.',
            },
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Course',
            name='policies',
            field=fields.ManyToManyField(
                'kinroll.Policy',
                unique=True,
                db_constraint=True,
                through='course_policy',
                forward_key='policy_id',
                backward_key='course_id',
                related_name='courses',
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='calendar',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
        DescribedOnly(
            model_name='StaffUser',
            name='role',
            field=fields.CharEnumField(
                default=StaffRole.FRONT_DESK,
                description='ADMIN: admin\nFRONT_DESK: front_desk\nINSTRUCTOR: instructor',
                enum_type=StaffRole,
                max_length=16,
            ),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='email_instructor',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='few_left_at',
            field=fields.SmallIntField(default=3, db_default=3),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='hold_minutes',
            field=fields.SmallIntField(default=15, db_default=15),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='openings_shown',
            field=fields.CharEnumField(
                default=OpeningsShown.NUMBER,
                description='NUMBER: number\nSTATUS: status',
                db_default=OpeningsShown.NUMBER,
                enum_type=OpeningsShown,
                max_length=8,
            ),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='pay_at_checkout',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='registration_fee',
            field=fields.DecimalField(default=0, db_default=0, max_digits=10, decimal_places=2),
        ),
    ]
