"""The four registration paths as declared lists of steps (``taxgov.common.flows``).

Create My Logon follows the state guide screen by screen; the three Register paths ask
for the new taxpayer, its address and its taxes, then share the profile, logon, profile
access, terms and summary steps with it.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from taxgov.common.flows import Flow, Label, Step
from taxgov.common.phones import for_display
from taxgov.ledger.agencies import account_name
from taxgov.state.registration import forms
from taxgov.state.registration.models import Evidence, RegistrationKind, RegistrationRequest

Draft = RegistrationRequest
VERIFICATION = ("verified_taxpayer", "verified_account")
# A different kind of taxpayer means different IDs, accounts and proof: all asked again.
IDENTIFICATION = ("id_type", "tin", "account_type", "evidence", "amount_kind", "amount", "letter_id", *VERIFICATION)


def _phone(draft: Draft) -> str:
    return for_display(draft.phone_number, home_country=draft.phone_country) if draft.phone_number else ""


def _login_rows(draft: Draft) -> list[tuple[Label, str]]:
    return [
        (_("Name"), draft.full_name),
        (_("Phone Number"), _phone(draft)),
        (_("Email Address"), draft.email),
    ]


def _username_rows(draft: Draft) -> list[tuple[Label, str]]:
    return [(_("Username"), draft.username)]


def _id_rows(draft: Draft) -> list[tuple[Label, str]]:
    rows: list[tuple[Label, str]] = [(_("ID"), draft.masked_tin)]
    if draft.account_type:
        rows.append((_("Account type"), account_name(draft.account_type)))
    return rows


def _new_taxpayer_rows(draft: Draft) -> list[tuple[Label, str]]:
    name = draft.legal_name or " ".join(part for part in (draft.first_name, draft.middle_name, draft.last_name) if part)
    return [(_("Taxpayer"), name), (_("ID"), draft.masked_tin)]


def _address_rows(draft: Draft) -> list[tuple[Label, str]]:
    street = ", ".join(part for part in (draft.address_line1, draft.address_line2) if part)
    return [(_("Address"), f"{street}, {draft.city}, {draft.state} {draft.postal_code}")]


def _new_account_rows(draft: Draft) -> list[tuple[Label, str]]:
    names = ", ".join(account_name(value) for value in draft.new_account_types)
    return [(_("Taxes"), names)]


def _profile_access_rows(draft: Draft) -> list[tuple[Label, str]]:
    return [(_("Manage My Clients"), str(_("Yes") if draft.is_tax_professional else _("No")))]


def _profile_done(draft: Draft) -> bool:
    return bool(draft.full_name and draft.email and draft.pin and draft.phone_number)


# Its precondition depends on the path: proof of a past filing, or the new taxpayer's taxes.
PROFILE: Step[Draft] = Step(
    "profile", _("Profile Information"), "registration/steps/profile.html", forms.ProfileForm, summary=_login_rows
)
SHARED_STEPS: list[Step[Draft]] = [
    Step(
        "logon",
        _("User Logon Setup"),
        "registration/steps/logon.html",
        forms.LogonForm,
        ready=_profile_done,
        summary=_username_rows,
    ),
    Step(
        "profile-access",
        _("Profile Access"),
        "registration/steps/profile_access.html",
        forms.ProfileAccessForm,
        ready=lambda d: bool(d.username and d.password_hash and d.secret_answer_hash),
        summary=_profile_access_rows,
    ),
    Step(
        "terms",
        _("Terms of Use"),
        "registration/steps/terms.html",
        forms.TermsForm,
        ready=lambda d: d.profile_access_seen,
    ),
    Step(
        "summary",
        _("Summary"),
        "registration/steps/summary.html",
        ready=lambda d: d.terms_agreed_at is not None,
    ),
]

CREATE_MY_LOGON: Flow[Draft] = Flow(
    RegistrationKind.LOGON,
    [
        Step(
            "taxpayer-type",
            _("Taxpayer Type"),
            "registration/steps/taxpayer_type.html",
            forms.TaxpayerTypeForm,
            clears=IDENTIFICATION,
        ),
        Step(
            "taxpayer-id",
            _("Taxpayer ID and Account"),
            "registration/steps/taxpayer_id.html",
            forms.TaxpayerIdForm,
            ready=lambda d: bool(d.taxpayer_type),
            clears=VERIFICATION,
            summary=_id_rows,
        ),
        Step(
            "verification-type",
            _("Verification Type"),
            "registration/steps/verification_type.html",
            forms.EvidenceForm,
            ready=lambda d: bool(d.tin and d.account_type),
            clears=VERIFICATION,
        ),
        Step(
            "tax-amount",
            _("Tax Amount"),
            "registration/steps/tax_amount.html",
            forms.TaxAmountForm,
            ready=lambda d: d.evidence == Evidence.LETTER or bool(d.evidence and d.amount_kind),
        ),
        replace(PROFILE, ready=lambda d: d.verified_account_id is not None),
        *SHARED_STEPS,
    ],
)


def _register_flow(kind: RegistrationKind, information_label: Label) -> Flow[Draft]:
    return Flow(
        kind,
        [
            Step(
                "taxpayer",
                information_label,
                "registration/steps/new_taxpayer.html",
                forms.NewTaxpayerForm,
                summary=_new_taxpayer_rows,
            ),
            Step(
                "address",
                _("Address"),
                "registration/steps/address.html",
                forms.AddressForm,
                ready=lambda d: bool(d.tin),
                summary=_address_rows,
            ),
            Step(
                "taxes",
                _("Tax Types"),
                "registration/steps/new_accounts.html",
                forms.NewAccountsForm,
                ready=lambda d: bool(d.address_line1 and d.postal_code),
                summary=_new_account_rows,
            ),
            replace(PROFILE, ready=lambda d: bool(d.new_account_types and d.new_accounts_from)),
            *SHARED_STEPS,
        ],
    )


FLOWS: dict[str, Flow[Draft]] = {
    RegistrationKind.LOGON: CREATE_MY_LOGON,
    RegistrationKind.BUSINESS: _register_flow(RegistrationKind.BUSINESS, _("Business Information")),
    RegistrationKind.INDIVIDUAL: _register_flow(RegistrationKind.INDIVIDUAL, _("Taxpayer Information")),
    RegistrationKind.ESTATE: _register_flow(RegistrationKind.ESTATE, _("Estate Information")),
}
