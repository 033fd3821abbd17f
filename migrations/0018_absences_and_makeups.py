"""Absences and makeups (issue 17): absences, makeup credits, makeups, roll calls and their marks, and the
studio's rules for them. New tables and columns with defaults only.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.models.absences import AbsenceReason, AttendanceMark, CreditOrigin, CreditStatus, MakeupStatus, RosterRole
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('kinroll', '0017_waitlists_and_requests')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Absence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('enrolment', fields.ForeignKeyField('kinroll.Enrolment', source_field='enrolment_id', db_constraint=True, to_field='id', related_name='absences', on_delete=OnDelete.CASCADE)),
                ('family', fields.ForeignKeyField('kinroll.Family', source_field='family_id', db_constraint=True, to_field='id', related_name='absences', on_delete=OnDelete.CASCADE)),
                ('participant', fields.ForeignKeyField('kinroll.Participant', source_field='participant_id', db_constraint=True, to_field='id', related_name='absences', on_delete=OnDelete.CASCADE)),
                ('course', fields.ForeignKeyField('kinroll.Course', source_field='course_id', db_constraint=True, to_field='id', related_name='absences', on_delete=OnDelete.CASCADE)),
                ('date', fields.DateField(db_index=True)),
                ('reason', fields.CharEnumField(default=AbsenceReason.OTHER, description='SICK: sick\nTRAVEL: travel\nSCHOOL_EVENT: school_event\nOTHER: other', enum_type=AbsenceReason, max_length=16)),
                ('note', fields.TextField(default='', unique=False)),
                ('contact_id', fields.IntField(null=True)),
                ('reported_by', fields.CharField(max_length=160)),
                ('reported_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('in_time', fields.BooleanField(default=True)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_by', fields.CharField(default='', max_length=160)),
                ('confirmed_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'absence', 'app': 'kinroll', 'unique_together': (('enrolment', 'date'),), 'pk_attr': 'id', 'table_description': 'A child will miss (or missed) one meeting of a class they are enrolled in. Cancelling keeps the row, and a'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MakeupCredit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('family', fields.ForeignKeyField('kinroll.Family', source_field='family_id', db_constraint=True, to_field='id', related_name='makeup_credits', on_delete=OnDelete.CASCADE)),
                ('participant', fields.ForeignKeyField('kinroll.Participant', source_field='participant_id', db_constraint=True, to_field='id', related_name='makeup_credits', on_delete=OnDelete.CASCADE)),
                ('enrolment', fields.ForeignKeyField('kinroll.Enrolment', source_field='enrolment_id', db_constraint=True, to_field='id', related_name='makeup_credits', on_delete=OnDelete.CASCADE)),
                ('course', fields.ForeignKeyField('kinroll.Course', source_field='course_id', db_constraint=True, to_field='id', related_name='makeup_credits', on_delete=OnDelete.CASCADE)),
                ('missed_on', fields.DateField()),
                ('absence', fields.ForeignKeyField('kinroll.Absence', source_field='absence_id', null=True, db_constraint=True, to_field='id', related_name='credits', on_delete=OnDelete.SET_NULL)),
                ('origin', fields.CharEnumField(default=CreditOrigin.ABSENCE, description='ABSENCE: absence\nEXCUSED: excused\nCLOSURE: closure', enum_type=CreditOrigin, max_length=16)),
                ('status', fields.CharEnumField(default=CreditStatus.AVAILABLE, db_index=True, description='PENDING: pending\nAVAILABLE: available\nBOOKED: booked\nUSED: used\nEXPIRED: expired\nREVOKED: revoked\nREFUSED: refused', enum_type=CreditStatus, max_length=16)),
                ('issued_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('issued_by', fields.CharField(default='', max_length=160)),
                ('expires_on', fields.DateField(null=True, db_index=True)),
                ('reminded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'makeup_credit', 'app': 'kinroll', 'unique_together': (('enrolment', 'missed_on'),), 'pk_attr': 'id', 'table_description': "One missed meeting's right to attend another: at most one per enrolment and date, whatever its origin."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Makeup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('credit', fields.ForeignKeyField('kinroll.MakeupCredit', source_field='credit_id', db_constraint=True, to_field='id', related_name='makeups', on_delete=OnDelete.CASCADE)),
                ('family', fields.ForeignKeyField('kinroll.Family', source_field='family_id', db_constraint=True, to_field='id', related_name='makeups', on_delete=OnDelete.CASCADE)),
                ('participant', fields.ForeignKeyField('kinroll.Participant', source_field='participant_id', db_constraint=True, to_field='id', related_name='makeups', on_delete=OnDelete.CASCADE)),
                ('course', fields.ForeignKeyField('kinroll.Course', source_field='course_id', db_constraint=True, to_field='id', related_name='makeups', on_delete=OnDelete.CASCADE)),
                ('date', fields.DateField(db_index=True)),
                ('status', fields.CharEnumField(default=MakeupStatus.BOOKED, db_index=True, description='BOOKED: booked\nCANCELLED: cancelled\nLATE_CANCELLED: late_cancelled', enum_type=MakeupStatus, max_length=16)),
                ('contact_id', fields.IntField(null=True)),
                ('booked_by', fields.CharField(max_length=160)),
                ('booked_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_by', fields.CharField(default='', max_length=160)),
            ],
            options={'table': 'makeup', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': 'A child booked into one meeting of another class with a credit. Cancelled ones are kept.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RollCall',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('course', fields.ForeignKeyField('kinroll.Course', source_field='course_id', db_constraint=True, to_field='id', related_name='roll_calls', on_delete=OnDelete.CASCADE)),
                ('date', fields.DateField()),
                ('taken_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('taken_by', fields.CharField(max_length=160)),
                ('version', fields.IntField(default=1)),
            ],
            options={'table': 'roll_call', 'app': 'kinroll', 'unique_together': (('course', 'date'),), 'pk_attr': 'id', 'table_description': 'The roster of one meeting as an instructor saved it, whose marks a later save replaces.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Attendance',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('roll_call', fields.ForeignKeyField('kinroll.RollCall', source_field='roll_call_id', db_constraint=True, to_field='id', related_name='marks', on_delete=OnDelete.CASCADE)),
                ('participant', fields.ForeignKeyField('kinroll.Participant', source_field='participant_id', db_constraint=True, to_field='id', related_name='attendance', on_delete=OnDelete.CASCADE)),
                ('family_id', fields.IntField()),
                ('role', fields.CharEnumField(default=RosterRole.ENROLLED, description='ENROLLED: enrolled\nMAKEUP: makeup\nTRIAL: trial', enum_type=RosterRole, max_length=16)),
                ('mark', fields.CharEnumField(description='PRESENT: present\nABSENT: absent\nLATE: late\nEXCUSED: excused', enum_type=AttendanceMark, max_length=16)),
            ],
            options={'table': 'attendance', 'app': 'kinroll', 'unique_together': (('roll_call', 'participant'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='absence_ahead_days',
            field=fields.SmallIntField(default=60, db_default=60),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='absence_notice',
            field=fields.CharField(default='hours', db_default='hours', max_length=16),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='absence_notice_hours',
            field=fields.SmallIntField(default=2, db_default=2),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='absences_reported',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='closure_credits',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='credit_expiry',
            field=fields.CharField(default='months', db_default='months', max_length=16),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='credit_expiry_count',
            field=fields.SmallIntField(default=3, db_default=3),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='credits_per_enrolment',
            field=fields.SmallIntField(default=2, db_default=2),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='makeup_ahead_days',
            field=fields.SmallIntField(default=30, db_default=30),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='makeup_cancel_hours',
            field=fields.SmallIntField(default=24, db_default=24),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='makeup_credit',
            field=fields.CharField(default='in_time', db_default='in_time', max_length=16),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='makeup_cutoff_hours',
            field=fields.SmallIntField(default=2, db_default=2),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='makeup_extra_seats',
            field=fields.SmallIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='makeup_scope',
            field=fields.CharField(default='same_type', db_default='same_type', max_length=16),
        ),
    ]
