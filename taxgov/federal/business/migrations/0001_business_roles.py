"""Who may act for a business or an estate: Designated Officials and Designated Users."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ledger", "0004_taxpayer_responsible_party"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BusinessRole",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("designated_official", "Designated Official"),
                            ("designated_user", "Designated User"),
                        ],
                        max_length=19,
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("president", "President"),
                            ("vice_president", "Vice president"),
                            ("ceo", "Chief executive officer (CEO)"),
                            ("cfo", "Chief financial officer (CFO)"),
                            ("coo", "Chief operating officer (COO)"),
                            ("secretary", "Secretary"),
                            ("treasurer", "Treasurer"),
                            ("managing_member", "Managing member"),
                            ("general_partner", "General partner"),
                            ("sole_proprietor", "Sole proprietor"),
                            ("executor", "Executor or administrator"),
                        ],
                        max_length=16,
                    ),
                ),
                ("validated_on", models.DateField(blank=True, null=True)),
                ("attested_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                (
                    "entity",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ledger.taxpayer",
                    ),
                ),
                (
                    "granted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["entity", "role"], name="federal_business_entity_role")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("revoked_at__isnull", True)),
                        fields=("user", "entity"),
                        name="federal_business_one_active_role",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("attested_at__isnull", False),
                                ("role", "designated_official"),
                                ("validated_on__isnull", False),
                                models.Q(("title", ""), _negated=True),
                            ),
                            models.Q(
                                ("attested_at__isnull", True),
                                ("role__in", ["designated_official", "designated_user"]),
                                ("title", ""),
                                ("validated_on__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="federal_business_role_fits_kind",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("revoked_by__isnull", True), ("revoked_at__isnull", False), _connector="OR"
                        ),
                        name="federal_business_revoked_by_needs_revoked_at",
                    ),
                ],
            },
        ),
    ]
