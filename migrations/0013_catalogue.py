"""The studio's catalogue (issue 15, points 1 to 3): locations and their rooms, terms (the issue's sessions),
categories in up to three tiers, classes (table `course`) with their categories and weekly meeting patterns, and
the studio's closed dates. New tables only: nothing that exists changes.
"""

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from domain.models import AgeTakenAt, CourseStatus, GenderRule, TuitionBasis


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0012_participant_removal')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Category',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=80)),
                (
                    'parent',
                    fields.ForeignKeyField(
                        'kinroll.Category',
                        source_field='parent_id',
                        null=True,
                        db_constraint=True,
                        to_field='id',
                        related_name='children',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={
                'table': 'category',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': 'Dance › Ballet › Level 2: at most three tiers '
                '(domain/classes/catalogue.py keeps to that).',
            },
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Closure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('date', fields.DateField(unique=True)),
                ('reason', fields.CharField(max_length=200)),
            ],
            options={
                'table': 'closure',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': 'A day the studio is closed: no class meets on it.',
            },
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Location',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=120)),
                ('address', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'location', 'app': 'kinroll', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Room',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    'location',
                    fields.ForeignKeyField(
                        'kinroll.Location',
                        source_field='location_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='rooms',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ('name', fields.CharField(max_length=80)),
            ],
            options={'table': 'room', 'app': 'kinroll', 'unique_together': (('location', 'name'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Term',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('registration_opens_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('early_opens_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('hidden_from_families', fields.BooleanField(default=False)),
            ],
            options={
                'table': 'term',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': 'What the studio calls a session: the dates its classes run between, '
                'and when families may enrol.',
            },
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Course',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('description', fields.TextField(default='', unique=False)),
                (
                    'categories',
                    fields.ManyToManyField(
                        'kinroll.Category',
                        unique=True,
                        db_constraint=True,
                        through='course_category',
                        forward_key='category_id',
                        backward_key='course_id',
                        related_name='courses',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    'term',
                    fields.ForeignKeyField(
                        'kinroll.Term',
                        source_field='term_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='courses',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    'location',
                    fields.ForeignKeyField(
                        'kinroll.Location',
                        source_field='location_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='courses',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    'room',
                    fields.ForeignKeyField(
                        'kinroll.Room',
                        source_field='room_id',
                        null=True,
                        db_constraint=True,
                        to_field='id',
                        related_name='courses',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('capacity', fields.IntField()),
                ('min_age_months', fields.IntField(null=True)),
                ('max_age_months', fields.IntField(null=True)),
                (
                    'age_taken_at',
                    fields.CharEnumField(
                        default=AgeTakenAt.FIRST_MEETING,
                        description='FIRST_MEETING: first_meeting\nTERM_START: term_start\nFIXED_DATE: fixed_date',
                        enum_type=AgeTakenAt,
                        max_length=16,
                    ),
                ),
                ('age_date', fields.DateField(null=True)),
                (
                    'gender_rule',
                    fields.CharEnumField(
                        default=GenderRule.ANY,
                        description='ANY: any\nFEMALE: female\nMALE: male',
                        enum_type=GenderRule,
                        max_length=8,
                    ),
                ),
                (
                    'prerequisite',
                    fields.ForeignKeyField(
                        'kinroll.Course',
                        source_field='prerequisite_id',
                        null=True,
                        db_constraint=True,
                        to_field='id',
                        related_name='leads_to',
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ('tuition', fields.DecimalField(max_digits=10, decimal_places=2)),
                (
                    'tuition_basis',
                    fields.CharEnumField(
                        default=TuitionBasis.PER_MONTH,
                        description='PER_MONTH: per_month\nPER_TERM: per_term\nPER_MEETING: per_meeting',
                        enum_type=TuitionBasis,
                        max_length=16,
                    ),
                ),
                ('registration_fee', fields.BooleanField(default=False)),
                (
                    'status',
                    fields.CharEnumField(
                        default=CourseStatus.DRAFT,
                        description='DRAFT: draft\nFUTURE: future\nACTIVE: active\nCLOSED: closed\nARCHIVED: archived',
                        enum_type=CourseStatus,
                        max_length=16,
                    ),
                ),
                ('shown_to_families', fields.BooleanField(default=False)),
                ('self_enrol', fields.BooleanField(default=False)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                'table': 'course',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': 'One class of the catalogue, as staff set it up.',
            },
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MeetingPattern',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    'course',
                    fields.ForeignKeyField(
                        'kinroll.Course',
                        source_field='course_id',
                        db_constraint=True,
                        to_field='id',
                        related_name='patterns',
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ('weekdays', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('start_minute', fields.SmallIntField()),
                ('end_minute', fields.SmallIntField()),
            ],
            options={
                'table': 'meeting_pattern',
                'app': 'kinroll',
                'pk_attr': 'id',
                'table_description': 'A class meets on these weekdays (0 Monday … 6 Sunday, as Python counts '
                'them) from start to end time.',
            },
            bases=['Model'],
        ),
    ]
