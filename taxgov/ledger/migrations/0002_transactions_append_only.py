"""The database itself refuses to change or delete ledger transactions: corrections are new entries."""

from django.db import migrations

from taxgov.common.db import append_only


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        append_only(
            "ledger_transaction",
            function="taxgov_refuse_ledger_change",
            message="ledger transactions are append-only",
        ),
    ]
