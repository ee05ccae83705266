from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from taxgov.common.access.rules import PUBLIC, access_rule
from taxgov.federal.home.sections import SECTIONS
from taxgov.federal.profile.access import HAS_PROFILE
from taxgov.federal.profile.queries import has_profile
from taxgov.federal.signin.access import VERIFIED_IDENTITY


@access_rule(PUBLIC)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public landing page; someone signed in with a profile goes straight to their account."""
    if request.user.is_authenticated and has_profile(int(str(request.user.pk))):
        return redirect("balances:home")
    return render(request, "home/index.html")


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def section(request: HttpRequest, name: str) -> HttpResponse:
    """A part of the account that is still being built: what it will hold."""
    return render(request, "home/section.html", {"section": SECTIONS[name]})
