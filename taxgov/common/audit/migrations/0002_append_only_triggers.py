"""The database itself refuses to change or delete audit events."""

from django.db import migrations

from taxgov.common.db import append_only


class Migration(migrations.Migration):
    dependencies = [("common_audit", "0001_initial")]

    operations = [
        append_only(
            "common_audit_auditevent", function="taxgov_refuse_audit_change", message="audit events are append-only"
        ),
    ]
