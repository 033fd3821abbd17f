"""Waitlists, drops, transfers and trials (issue 16): waitlist entries, the requests staff decide, a class's
waitlist mode and release, a held seat's offer, and the studio's rules. New tables and columns with defaults only.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.models.classes import RequestKind, RequestStatus, WaitlistMode, WaitlistStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('kinroll', '0016_monthly_tuition')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ClassRequest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='ENROL: enrol\nDROP: drop\nTRANSFER: transfer\nTRIAL: trial', enum_type=RequestKind, max_length=16)),
                ('status', fields.CharEnumField(default=RequestStatus.PENDING, db_index=True, description='PENDING: pending\nAPPROVED: approved\nDECLINED: declined\nCANCELLED: cancelled', enum_type=RequestStatus, max_length=16)),
                ('family', fields.ForeignKeyField('kinroll.Family', source_field='family_id', db_constraint=True, to_field='id', related_name='class_requests', on_delete=OnDelete.CASCADE)),
                ('participant', fields.ForeignKeyField('kinroll.Participant', source_field='participant_id', db_constraint=True, to_field='id', related_name='class_requests', on_delete=OnDelete.CASCADE)),
                ('contact_id', fields.IntField(null=True)),
                ('course', fields.ForeignKeyField('kinroll.Course', source_field='course_id', db_constraint=True, to_field='id', related_name='requests', on_delete=OnDelete.CASCADE)),
                ('enrolment', fields.ForeignKeyField('kinroll.Enrolment', source_field='enrolment_id', null=True, db_constraint=True, to_field='id', related_name='requests', on_delete=OnDelete.CASCADE)),
                ('target', fields.ForeignKeyField('kinroll.Course', source_field='target_id', null=True, db_constraint=True, to_field='id', related_name='transfers_in', on_delete=OnDelete.CASCADE)),
                ('on_date', fields.DateField()),
                ('reason', fields.CharField(default='', max_length=200)),
                ('note', fields.TextField(default='', unique=False)),
                ('requested_by', fields.CharField(max_length=160)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decided_by', fields.CharField(default='', max_length=160)),
                ('decision_message', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'class_request', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': "Something a family asked for that staff decide: the staff's queue of online activity."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WaitlistEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('course', fields.ForeignKeyField('kinroll.Course', source_field='course_id', db_constraint=True, to_field='id', related_name='waitlist', on_delete=OnDelete.CASCADE)),
                ('participant', fields.ForeignKeyField('kinroll.Participant', source_field='participant_id', db_constraint=True, to_field='id', related_name='waitlist_entries', on_delete=OnDelete.CASCADE)),
                ('family', fields.ForeignKeyField('kinroll.Family', source_field='family_id', db_constraint=True, to_field='id', related_name='waitlist_entries', on_delete=OnDelete.CASCADE)),
                ('contact_id', fields.IntField(null=True)),
                ('rank', fields.IntField()),
                ('status', fields.CharEnumField(default=WaitlistStatus.WAITING, db_index=True, description='WAITING: waiting\nOFFERED: offered\nENROLLED: enrolled\nLEFT: left\nDECLINED: declined\nOFFER_EXPIRED: offer_expired\nEXPIRED: expired\nREMOVED: removed', enum_type=WaitlistStatus, max_length=16)),
                ('auto_enrol', fields.BooleanField(default=False)),
                ('held_back', fields.BooleanField(default=False)),
                ('held_back_reason', fields.TextField(default='', unique=False)),
                ('joined_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('offered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('offer_expires_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('offered_by', fields.CharField(default='', max_length=160)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'waitlist_entry', 'app': 'kinroll', 'pk_attr': 'id', 'table_description': 'A child waiting for a seat in a full class, in `rank` order (lowest first), then offered one.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Course',
            name='enrol_by_request',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Course',
            name='free_seats_released',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Course',
            name='waitlist_mode',
            field=fields.CharEnumField(null=True, description='MANUAL: manual\nAUTO_OFFER: auto_offer\nAUTO_ENROL: auto_enrol', enum_type=WaitlistMode, max_length=16),
        ),
        ops.AddField(
            model_name='Course',
            name='waitlist_open',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AddField(
            model_name='SeatHold',
            name='waitlist_entry',
            field=fields.ForeignKeyField('kinroll.WaitlistEntry', source_field='waitlist_entry_id', null=True, db_constraint=True, to_field='id', related_name='holds', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='drop_notice_days',
            field=fields.SmallIntField(default=14, db_default=14),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='drop_reasons',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='drops_approved',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='offer_hours',
            field=fields.SmallIntField(default=24, db_default=24),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='transfer_days',
            field=fields.SmallIntField(default=14, db_default=14),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='trials',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='waitlist_days',
            field=fields.SmallIntField(default=90, db_default=90),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='waitlist_mode',
            field=fields.CharField(default='auto_offer', db_default='auto_offer', max_length=16),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='waitlist_position_shown',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='waitlists',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AddField(
            model_name='StudioSettings',
            name='waitlists_per_child',
            field=fields.SmallIntField(default=3, db_default=3),
        ),
    ]
