"""Audit event tags of the ledger, named ``source:subject:action``."""

from enum import StrEnum


class LedgerTag(StrEnum):
    TAXPAYER_REGISTERED = "ledger:taxpayer:registered"
    ADDRESS_CHANGED = "ledger:taxpayer:address_changed"
    ACCOUNT_OPENED = "ledger:account:opened"
    RETURN_RECORDED = "ledger:return:recorded"
    TRANSACTION_POSTED = "ledger:transaction:posted"
    NOTICE_ISSUED = "ledger:notice:issued"
    POPULATION_LOADED = "ledger:population:loaded"
