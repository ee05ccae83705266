"""Fewer, leaner indexes on the big tables: no LIKE twin for the unique keys, no foreign-key
index a composite index already leads with (bench/results/ledger-scale.md)."""

import django.db.models.deletion
from django.db import migrations, models

from taxgov.common.db import append_only, append_only_lifted

TRANSACTIONS_APPEND_ONLY = {
    "table": "ledger_transaction",
    "function": "taxgov_refuse_ledger_change",
    "message": "ledger transactions are append-only",
}


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_transactions_append_only"),
    ]

    operations = [
        append_only_lifted(**TRANSACTIONS_APPEND_ONLY),
        migrations.AlterField(
            model_name="informationreturn",
            name="taxpayer",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="information_returns",
                to="ledger.taxpayer",
            ),
        ),
        migrations.AlterField(
            model_name="taxpayer",
            name="tin_fingerprint",
            field=models.CharField(max_length=64),
        ),
        migrations.AlterField(
            model_name="transaction",
            name="idempotency_key",
            field=models.CharField(max_length=100),
        ),
        migrations.AlterField(
            model_name="transaction",
            name="period",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="transactions",
                to="ledger.taxperiod",
            ),
        ),
        migrations.AddConstraint(
            model_name="taxpayer",
            constraint=models.UniqueConstraint(
                fields=("tin_fingerprint",), name="ledger_taxpayer_tin_fingerprint_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="transaction",
            constraint=models.UniqueConstraint(
                fields=("idempotency_key",), name="ledger_transaction_idempotency_key_unique"
            ),
        ),
        append_only(**TRANSACTIONS_APPEND_ONLY),
    ]
