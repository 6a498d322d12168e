import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The audit trail is append-only in the database itself: any UPDATE or DELETE of a row raises
# (SQLSTATE 42501, insufficient_privilege), whoever sends it (admin, the ORM, psql). TRUNCATE
# is left to the table's owner: the test runner empties tables with it between tests.
REFUSE_CHANGES = """
CREATE FUNCTION applications_auditentry_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER applications_auditentry_no_update
    BEFORE UPDATE ON applications_auditentry
    FOR EACH ROW EXECUTE FUNCTION applications_auditentry_refuse_change();
CREATE TRIGGER applications_auditentry_no_delete
    BEFORE DELETE ON applications_auditentry
    FOR EACH ROW EXECUTE FUNCTION applications_auditentry_refuse_change();
"""
ALLOW_CHANGES = """
DROP TRIGGER applications_auditentry_no_delete ON applications_auditentry;
DROP TRIGGER applications_auditentry_no_update ON applications_auditentry;
DROP FUNCTION applications_auditentry_refuse_change();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0007_case_fields'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='user name')),
                ('action', models.CharField(choices=[('case_viewed', 'Case opened'), ('document_viewed', 'Document opened or downloaded'), ('exported', 'List exported'), ('review_started', 'Review started'), ('supplementary_requested', 'Supplementary documents requested'), ('review_resumed', 'Review resumed'), ('approved', 'Approved'), ('refused', 'Refused'), ('withdrawn', "Withdrawn at the applicant's request"), ('assigned', 'Assigned'), ('quota_closed', 'Quota pool closed'), ('quota_reopened', 'Quota pool reopened')], max_length=30, verbose_name='action')),
                ('object_type', models.CharField(max_length=60, verbose_name='object type')),
                ('object_id', models.CharField(max_length=40, verbose_name='object id')),
                ('detail', models.JSONField(blank=True, default=dict, verbose_name='detail')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='from address')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                ('actor', models.ForeignKey(blank=True, help_text="Empty when the service itself acted (an applicant's reply, a deadline).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='who')),
                ('application', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='audit_entries', to='applications.application', verbose_name='application')),
                ('group', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='audit_entries', to='applications.applicationgroup', verbose_name='application group')),
            ],
            options={
                'verbose_name': 'audit entry',
                'verbose_name_plural': 'audit trail',
                'ordering': ('-at', '-id'),
                'permissions': [('review_application', 'Can review and decide applications'), ('assign_application', 'Can assign applications to any officer')],
            },
        ),
        migrations.CreateModel(
            name='DecisionEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='queued at')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('sent_to', models.TextField(blank=True, verbose_name='sent to')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='sending attempts')),
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='email', to='applications.auditentry', verbose_name='audit entry')),
            ],
            options={
                'verbose_name': 'decision email',
                'verbose_name_plural': 'decision emails',
            },
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['application', 'at'], name='audit_application_at'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['actor', 'at'], name='audit_actor_at'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['action', 'at'], name='audit_action_at'),
        ),
        migrations.RunSQL(REFUSE_CHANGES, ALLOW_CHANGES),
    ]
