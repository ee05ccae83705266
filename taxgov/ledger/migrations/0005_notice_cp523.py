"""The notice of intent to terminate an installment agreement (CP523), sent by the payment plan job."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_taxpayer_responsible_party"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notice",
            name="kind",
            field=models.CharField(
                choices=[
                    ("CP12", "We changed your return: refund"),
                    ("CP14", "Balance due"),
                    ("CP501", "Reminder: balance due"),
                    ("CP503", "Second reminder: balance due"),
                    ("CP504", "Notice of intent to levy"),
                    ("LT11", "Final notice of intent to levy"),
                    ("CP2000", "Proposed changes to your return"),
                    ("CP521", "Installment agreement statement"),
                    ("CP523", "Notice of intent to terminate your installment agreement"),
                    ("NOA", "Notice of Assessment"),
                    ("SOA", "Statement of Account"),
                    ("NIA", "Notice of Intent to Assess"),
                    ("RFN", "Refund notice"),
                    ("WEL", "Welcome letter"),
                ],
                max_length=8,
            ),
        ),
    ]
