"""The parts of the signed-in account that later work builds: each already has its page, which
says what it will hold, so the account navigation never leads nowhere."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    title: Promise
    intro: Promise
    coming: tuple[Promise, ...]


SECTIONS: dict[str, Section] = {
    "records": Section(
        _("Records and Status"),
        _("Your tax records and where your returns and refunds stand."),
        (
            _("Get account, return, wage and income transcripts as PDF"),
            _("See the wage and income forms (W-2, 1099) filed about you for each year"),
            _("See each return as you filed it"),
            _("Check the status of your refund or amended return"),
        ),
    ),
    "notices": Section(
        _("Notices"),
        _("Digital copies of the notices and letters we send you."),
        (
            _("Read select notices online and download them as PDF"),
            _("See which notices you have not read yet"),
            _("Choose to stop getting paper copies of those notices"),
            _("Choose how we tell you by email that a notice is ready"),
        ),
    ),
    "forms": Section(
        _("Forms"),
        _("Submit select forms online and follow their status."),
        (
            _("Fill out and submit select forms online, starting with Form 4547"),
            _("See whether we received and processed what you sent"),
        ),
    ),
    "authorizations": Section(
        _("Authorizations"),
        _("Let a tax professional act for you or see your tax information."),
        (
            _("Review requests for power of attorney (Form 2848) or tax information authorization (Form 8821)"),
            _("Approve and sign a request electronically, or reject it"),
            _("See who has access to your account and withdraw an authorization"),
            _("Approve requests to send a transcript to a lender or another third party"),
        ),
    ),
}
