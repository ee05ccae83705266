"""Who may act for which entity, whether a Designated Official's answers match the records, and
the yearly revalidation window.

Why an answer did not match is kept for the audit log only: the person sees one refusal for
every case, so the registration cannot be used to learn which EINs exist or who is whose
responsible party.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from taxgov.federal.accounts.models import User
from taxgov.federal.business.models import BusinessRole, RoleKind
from taxgov.federal.profile.models import Profile
from taxgov.federal.profile.queries import normal_name
from taxgov.ledger import queries as ledger
from taxgov.ledger.agencies import current_rules
from taxgov.ledger.identifiers import tin_fingerprint
from taxgov.ledger.models import AccountType, Taxpayer, TaxpayerKind, TaxReturn

ENTITY_KINDS = (TaxpayerKind.BUSINESS, TaxpayerKind.ESTATE)
# The income tax returns an entity files (employment and sales tax returns are not asked for).
INCOME_TAX_ACCOUNTS = (AccountType.BUSINESS_INCOME, AccountType.PARTNERSHIP, AccountType.FIDUCIARY)


class Refusal(StrEnum):
    """Why a registration or revalidation was refused: for the audit log, never shown."""

    NOT_ON_FILE = "not_on_file"  # no business or estate has this EIN
    NOT_RESPONSIBLE_PARTY = "not_responsible_party"
    RETURN_DIFFERS = "return_differs"  # another form, or no income tax return on file
    ZIP_DIFFERS = "zip_differs"


@dataclass(frozen=True)
class Answers:
    """What a Designated Official answers about the entity when registering or revalidating."""

    return_form: str
    postal_code: str
    title: str


# --- the entity and the answers ---------------------------------------------------------------


def find_entity(ein: str) -> Taxpayer | None:
    """The business or estate with this EIN (nine digits, as the form gives it)."""
    return Taxpayer.objects.filter(tin_fingerprint=tin_fingerprint(ein), kind__in=ENTITY_KINDS).first()


def latest_income_return(entity: Taxpayer) -> TaxReturn | None:
    """The original income tax return of the entity's latest period that has one."""
    returns = TaxReturn.objects.filter(
        period__account__taxpayer=entity, period__account__account_type__in=INCOME_TAX_ACCOUNTS, kind="original"
    )
    return returns.order_by("-period__end", "-filed_on", "-pk").first()


def answers_refusal(entity: Taxpayer, answers: Answers) -> Refusal | None:
    """None when the latest income tax return and the ZIP code of the address on file match."""
    latest = latest_income_return(entity)
    if latest is None or latest.form != answers.return_form:
        return Refusal.RETURN_DIFFERS
    address = ledger.current_address(entity)
    if address is None or address.postal_code[:5] != answers.postal_code[:5]:
        return Refusal.ZIP_DIFFERS
    return None


def registration_refusal(person: Taxpayer, entity: Taxpayer | None, answers: Answers) -> Refusal | None:
    """None when ``person`` is the entity's responsible party and every answer matches."""
    if entity is None:
        return Refusal.NOT_ON_FILE
    responsible = entity.responsible_party_fingerprint
    if not responsible or responsible != person.tin_fingerprint:
        return Refusal.NOT_RESPONSIBLE_PARTY
    return answers_refusal(entity, answers)


def person_with_account(ssn: str, last_name: str) -> User | None:
    """The signed-in account of the living individual with this SSN and last name, if they
    have made a federal profile; None otherwise (the caller answers the same either way)."""
    profile = (
        Profile.objects.select_related("user", "taxpayer")
        .filter(
            taxpayer__tin_fingerprint=tin_fingerprint(ssn),
            taxpayer__kind=TaxpayerKind.INDIVIDUAL,
            taxpayer__date_of_death__isnull=True,
        )
        .first()
    )
    if profile is None:
        return None
    taxpayer = profile.taxpayer
    family = normal_name(last_name)
    on_file = {normal_name(taxpayer.last_name), normal_name(f"{taxpayer.last_name} {taxpayer.suffix}")}
    return profile.user if family and family in on_file else None


# --- the yearly revalidation -----------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    opens: dt.date
    closes: dt.date  # the last day a Designated Official can revalidate in it


def _month_day(text: str, year: int) -> dt.date:
    month, day = text.split("-")
    return dt.date(year, int(month), int(day))


def window_of(year: int, today: dt.date) -> Window:
    """The revalidation window of ``year``, by the rule in force ``today``."""
    rules = current_rules()
    return Window(
        opens=_month_day(rules.value("business_tax_account.revalidation_opens", today), year),
        closes=_month_day(rules.value("business_tax_account.revalidation_closes", today), year),
    )


def open_window(today: dt.date) -> Window | None:
    window = window_of(today.year, today)
    return window if window.opens <= today <= window.closes else None


def last_closed_window(today: dt.date) -> Window:
    window = window_of(today.year, today)
    return window if window.closes < today else window_of(today.year - 1, today)


def must_revalidate(role: BusinessRole, today: dt.date) -> bool:
    """A Designated Official who has not signed yet (named by another one), or who did not
    validate during or after the last window that closed, must do so before acting."""
    if not role.is_official:
        return False
    return role.validated_on is None or role.validated_on < last_closed_window(today).opens


def revalidation_due(role: BusinessRole, today: dt.date) -> Window | None:
    """The window now open, if this Designated Official has not yet revalidated in it."""
    window = open_window(today)
    if window is None or not role.is_official or role.validated_on is None or role.validated_on >= window.opens:
        return None
    return window


# --- roles -----------------------------------------------------------------------------------


def roles_of_user(user_id: int) -> list[BusinessRole]:
    """The user's active roles, by entity name."""
    found = BusinessRole.objects.filter(user_id=user_id, revoked_at__isnull=True).select_related("entity")
    return sorted(found, key=lambda role: normal_name(role.entity.name))


def role_of_user(user_id: int, entity_public_id: uuid.UUID | str) -> BusinessRole | None:
    """The user's active role for the entity with this public id."""
    found = BusinessRole.objects.filter(user_id=user_id, entity__public_id=entity_public_id, revoked_at__isnull=True)
    return found.select_related("entity").first()


def may_act(role: BusinessRole, today: dt.date) -> bool:
    """An active role lets its holder act for the entity, unless it is a lapsed Designated Official's."""
    return role.revoked_at is None and not must_revalidate(role, today)


def roles_of_entity(entity: Taxpayer) -> list[BusinessRole]:
    """Everyone who may act for the entity now, Designated Officials first, with their names."""
    found = BusinessRole.objects.filter(entity=entity, revoked_at__isnull=True).select_related(
        "user__federal_profile__taxpayer"
    )
    return sorted(found, key=lambda role: (not role.is_official, role.created_at))


def officials_of(entity_id: int) -> int:
    """How many Designated Officials the entity has, signed or not."""
    return BusinessRole.objects.filter(
        entity_id=entity_id, role=RoleKind.DESIGNATED_OFFICIAL, revoked_at__isnull=True
    ).count()
