"""Audit event tags of payment plans, named ``source:subject:action``."""

from enum import StrEnum


class PlanTag(StrEnum):
    ESTABLISHED = "federal:payment_plan:established"
    REFUSED = "federal:payment_plan:refused"
    REVISED = "federal:payment_plan:revised"
    INSTALLMENT_DEBITED = "federal:payment_plan:installment_debited"
    DEBIT_FAILED = "federal:payment_plan:debit_failed"
    TERMINATION_NOTICE = "federal:payment_plan:termination_notice"
    DEFAULTED = "federal:payment_plan:defaulted"
    COMPLETED = "federal:payment_plan:completed"
    FEE_REIMBURSED = "federal:payment_plan:fee_reimbursed"
