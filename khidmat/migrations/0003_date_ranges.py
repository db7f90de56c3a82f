# Date and time ranges (casp.dates, docs/security.md): repair or refuse stored rows, then add the CHECKs.
# The constraints khidmat was built with (a date of birth checked against now(), which a CHECK must not
# read; floors of 2020) give way to the kernel's named rules.

import datetime
import django.db.models.expressions
from django.conf import settings
from django.db import migrations, models

from casp.dates import NULL, Repair, bad_rows_repair

# Rows stored before these constraints: repaired (NULL or another column) or refused, by id. In this order:
# a repaired called_at is then the floor of finished_at.
REPAIRS = [
    Repair("khidmat_centrestaff", "starts_on", "1947-01-01", date=True),
    # Never nulled: that would reopen the posting and its access.
    Repair("khidmat_centrestaff", "ends_on", "1947-01-01", date=True),
    Repair("khidmat_token", "day", "2000-01-01", date=True),
    Repair("khidmat_token", "issued_at", "2000-01-01"),
    Repair("khidmat_token", "called_at", "2000-01-01", action="issued_at"),
    Repair("khidmat_token", "finished_at", "2000-01-01", action="called_at"),
    Repair("khidmat_application", "subject_dob", "1900-01-01", date=True, action=NULL),
    Repair("khidmat_application", "created_at", "2000-01-01"),
    # The fee was taken at the counter when the application was received.
    Repair("khidmat_application", "paid_at", "2000-01-01", action="created_at"),
    Repair("khidmat_application", "decided_at", "2000-01-01", hint="the decision's time is in the audit log"),
    Repair("khidmat_application", "promised_on", "2000-01-01", date=True),
    Repair("khidmat_crocheck", "checked_at", "2000-01-01"),
    # Never nulled: a reviewed check must keep its review time.
    Repair("khidmat_crocheck", "reviewed_at", "2000-01-01", action="checked_at"),
    Repair("khidmat_verificationtask", "created_at", "2000-01-01"),
    Repair("khidmat_verificationtask", "due_at", "2000-01-01"),
    Repair("khidmat_verificationtask", "done_at", "2000-01-01", hint="an answered task keeps its answer's time"),
    Repair("khidmat_verificationtask", "escalated_at", "2000-01-01", action=NULL),
    Repair("khidmat_certificate", "issued_at", "2000-01-01"),
    # Never nulled: that would make the document valid for ever.
    Repair("khidmat_certificate", "valid_until", "2000-01-01", date=True),
    # Never nulled: that would make a revoked certificate valid again; revoked at its issue instead.
    Repair("khidmat_certificate", "revoked_at", "2000-01-01", action="issued_at"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0005_complaint_womens_desk'),
        ('fir', '0005_date_ranges'),
        ('khidmat', '0002_seed_services'),
        ('stations', '0007_posting_role_khidmat_incharge'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(bad_rows_repair(REPAIRS), migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='application',
            name='khidmat_application_dob_range',
        ),
        migrations.RemoveConstraint(
            model_name='application',
            name='khidmat_application_paid_at_range',
        ),
        migrations.RemoveConstraint(
            model_name='application',
            name='khidmat_application_created_range',
        ),
        migrations.RemoveConstraint(
            model_name='application',
            name='khidmat_application_promised_range',
        ),
        migrations.RemoveConstraint(
            model_name='certificate',
            name='khidmat_certificate_valid_until_range',
        ),
        migrations.RemoveConstraint(
            model_name='token',
            name='khidmat_token_day_range',
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('subject_dob__isnull', True), models.Q(('subject_dob__gte', datetime.date(1900, 1, 1)), ('subject_dob__lt', datetime.date(2200, 1, 1))), _connector='OR'), name='khidmat_application_subject_dob_range', violation_error_message='subject_dob is outside its plausible range: from 1900-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('paid_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('paid_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), name='khidmat_application_paid_at_range', violation_error_message='paid_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('created_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('created_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), name='khidmat_application_created_at_range', violation_error_message='created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('decided_at__isnull', True), models.Q(('decided_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('decided_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), _connector='OR'), name='khidmat_application_decided_at_range', violation_error_message='decided_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('promised_on__gte', datetime.date(2000, 1, 1)), ('promised_on__lt', datetime.date(2200, 1, 1))), name='khidmat_application_promised_on_range', violation_error_message='promised_on is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('paid_at__lte', django.db.models.expressions.CombinedExpression(models.F('created_at'), '+', models.Value(datetime.timedelta(seconds=300))))), name='khidmat_application_paid_before_received'),
        ),
        migrations.AddConstraint(
            model_name='centrestaff',
            constraint=models.CheckConstraint(condition=models.Q(('starts_on__gte', datetime.date(1947, 1, 1)), ('starts_on__lt', datetime.date(2200, 1, 1))), name='khidmat_centrestaff_starts_on_range', violation_error_message='starts_on is outside its plausible range: from 1947-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='centrestaff',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), models.Q(('ends_on__gte', datetime.date(1947, 1, 1)), ('ends_on__lt', datetime.date(2200, 1, 1))), _connector='OR'), name='khidmat_centrestaff_ends_on_range', violation_error_message='ends_on is outside its plausible range: from 1947-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='certificate',
            constraint=models.CheckConstraint(condition=models.Q(('issued_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('issued_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), name='khidmat_certificate_issued_at_range', violation_error_message='issued_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='certificate',
            constraint=models.CheckConstraint(condition=models.Q(('valid_until__isnull', True), models.Q(('valid_until__gte', datetime.date(2000, 1, 1)), ('valid_until__lt', datetime.date(2200, 1, 1))), _connector='OR'), name='khidmat_certificate_valid_until_range', violation_error_message='valid_until is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='certificate',
            constraint=models.CheckConstraint(condition=models.Q(('revoked_at__isnull', True), models.Q(('revoked_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('revoked_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), _connector='OR'), name='khidmat_certificate_revoked_at_range', violation_error_message='revoked_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='crocheck',
            constraint=models.CheckConstraint(condition=models.Q(('checked_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('checked_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), name='khidmat_crocheck_checked_at_range', violation_error_message='checked_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='crocheck',
            constraint=models.CheckConstraint(condition=models.Q(('reviewed_at__isnull', True), models.Q(('reviewed_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('reviewed_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), _connector='OR'), name='khidmat_crocheck_reviewed_at_range', violation_error_message='reviewed_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='servicetype',
            constraint=models.CheckConstraint(condition=models.Q(('validity_days__isnull', True), ('validity_days__lte', 3660), _connector='OR'), name='khidmat_servicetype_validity_days_range'),
        ),
        migrations.AddConstraint(
            model_name='token',
            constraint=models.CheckConstraint(condition=models.Q(('day__gte', datetime.date(2000, 1, 1)), ('day__lt', datetime.date(2200, 1, 1))), name='khidmat_token_day_range', violation_error_message='day is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='token',
            constraint=models.CheckConstraint(condition=models.Q(('issued_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('issued_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), name='khidmat_token_issued_at_range', violation_error_message='issued_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='token',
            constraint=models.CheckConstraint(condition=models.Q(('called_at__isnull', True), models.Q(('called_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('called_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), _connector='OR'), name='khidmat_token_called_at_range', violation_error_message='called_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='token',
            constraint=models.CheckConstraint(condition=models.Q(('finished_at__isnull', True), models.Q(('finished_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('finished_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), _connector='OR'), name='khidmat_token_finished_at_range', violation_error_message='finished_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='verificationtask',
            constraint=models.CheckConstraint(condition=models.Q(('escalated_at__isnull', True), ('escalated_at__gte', models.F('due_at')), _connector='OR'), name='khidmat_verificationtask_escalated_after_due'),
        ),
        migrations.AddConstraint(
            model_name='verificationtask',
            constraint=models.CheckConstraint(condition=models.Q(('created_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('created_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), name='khidmat_verificationtask_created_at_range', violation_error_message='created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='verificationtask',
            constraint=models.CheckConstraint(condition=models.Q(('due_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('due_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), name='khidmat_verificationtask_due_at_range', violation_error_message='due_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='verificationtask',
            constraint=models.CheckConstraint(condition=models.Q(('done_at__isnull', True), models.Q(('done_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('done_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), _connector='OR'), name='khidmat_verificationtask_done_at_range', violation_error_message='done_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
        migrations.AddConstraint(
            model_name='verificationtask',
            constraint=models.CheckConstraint(condition=models.Q(('escalated_at__isnull', True), models.Q(('escalated_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('escalated_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), _connector='OR'), name='khidmat_verificationtask_escalated_at_range', violation_error_message='escalated_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
    ]
