"""The account home: today's payoff, each year's balance, the latest return, the payment plan,
payments, the address on file and recent notices.

The same page serves a business or estate someone acts for (ADR 0027): ``entity`` names it,
so the page says what it owes and files rather than what "you" do, by tax period (its Form
941 quarters) rather than by tax year.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from taxgov.common.access.rules import access_rule
from taxgov.federal.balances import queries
from taxgov.federal.payments import queries as payment_queries
from taxgov.federal.profile.access import HAS_PROFILE, MAY_MAKE_PAYMENTS, taxpayer_of
from taxgov.federal.records.transcripts import module_name
from taxgov.federal.signin.access import VERIFIED_IDENTITY
from taxgov.ledger.models import TaxpayerKind, TaxPeriod, TaxReturn
from taxgov.ledger.templatetags.ledger import account_name, money


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    taxpayer = taxpayer_of(request)
    summary = queries.summary(taxpayer, timezone.localdate())
    plan = summary.plan
    entity = None if taxpayer.kind == TaxpayerKind.INDIVIDUAL else taxpayer
    period_heading = _("Tax period") if entity else _("Tax year")
    name_of: Callable[[TaxPeriod], str] = module_name if entity else (lambda period: period.label)
    latest = summary.latest_return
    context = {
        "entity": entity,
        "upcoming_payments": payment_queries.upcoming_of(taxpayer),
        "may_pay": MAY_MAKE_PAYMENTS.allows(request),
        "payments_caption": _("Pending and scheduled payments"),
        "taxpayer": taxpayer,
        "summary": summary,
        "payoff_headers": [_("Part"), _("Amount")],
        "numeric_last": [1],
        "payoff_rows": [
            [_("Tax"), money(summary.payoff["tax"])],
            [_("Penalties"), money(summary.payoff["penalties"])],
            [_("Interest"), money(summary.payoff["interest"])],
            [_("Total"), money(summary.payoff["total"])],
        ],
        "year_headers": [period_heading, _("Tax"), _("Penalties"), _("Interest"), _("Balance")],
        "year_numeric": [1, 2, 3, 4],
        "year_tables": [_year_table(account, name_of) for account in summary.accounts],
        "plan_years": ", ".join(period.label for period in plan.periods) if plan else "",
        "plan_payment": -plan.last_payment.amount if plan and plan.last_payment else None,
        "return_headers": [_("Line"), _("As filed")],
        "return_rows": _return_rows(latest, individual=entity is None) if latest else [],
        "return_module": module_name(latest.period) if entity and latest else "",
        "notice_headers": [_("Date"), _("Notice"), period_heading, _("Amount")],
        "notice_numeric": [3],
        "notice_rows": [
            [
                _date(notice.issued_on),
                f"{notice.kind}: {notice.get_kind_display()}",
                notice.period.label if notice.period else "",
                money(notice.amount),
            ]
            for notice in summary.notices
        ],
    }
    return render(request, "balances/home.html", context)


def _date(day: Any) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _year_table(account: queries.AccountBalances, name_of: Callable[[TaxPeriod], str]) -> dict[str, Any]:
    rows = []
    for year in account.years:
        label = name_of(year.period)
        if year.is_credit:
            label = _("%(year)s (credit)") % {"year": label}
        amounts = year.amounts
        rows.append(
            [
                label,
                money(amounts["tax"]),
                money(amounts["penalties"]),
                money(amounts["interest"]),
                money(amounts["total"]),
            ]
        )
    return {"caption": account_name(account.account_type), "rows": rows}


def _return_rows(filed: TaxReturn, *, individual: bool) -> list[list[str]]:
    """The return's key lines; filing status and adjusted gross income only on a person's 1040."""
    rows = [[_("Filed on"), _date(filed.filed_on)]]
    if individual:
        rows.append([_("Filing status"), filed.get_filing_status_display() or _("Not shown")])
    amounts = [(_("Adjusted gross income"), filed.adjusted_gross_income)] if individual else []
    for label, amount in (*amounts, (_("Taxable income"), filed.taxable_income)):
        if amount is not None:
            rows.append([label, money(amount)])
    rows += [
        [_("Total tax"), money(filed.total_tax)],
        [_("Total payments and credits"), money(filed.total_payments)],
    ]
    if filed.refund:
        rows.append([_("Refund"), money(filed.refund)])
    else:
        rows.append([_("Amount you owed") if individual else _("Balance due"), money(filed.balance_due)])
    return rows
