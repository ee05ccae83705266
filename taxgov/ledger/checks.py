"""Deployment checks of the rules data: a quarter without its own interest rate is a data gap."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.utils import timezone

from taxgov.ledger.rules import short_term_rates


@register(Tags.compatibility, deploy=True)
def current_quarter_has_a_rate(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    today = timezone.localdate()
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    if quarter_start in short_term_rates().starts:
        return []
    return [
        Warning(
            f"The short-term rate table has no entry for the quarter starting {quarter_start}; "
            "payoffs use the last published rate until one is added.",
            hint="Append the quarter's rate to taxgov/ledger/rules/short_term_rates.toml.",
            id="taxgov.W101",
        )
    ]
