"""Who the responsible party of a business or estate is (Form SS-4 line 7), as a fingerprint."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_leaner_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="taxpayer",
            name="responsible_party_fingerprint",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddIndex(
            model_name="taxpayer",
            index=models.Index(
                condition=models.Q(("responsible_party_fingerprint", ""), _negated=True),
                fields=["responsible_party_fingerprint"],
                name="ledger_taxpayer_responsible",
            ),
        ),
    ]
