from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from taxgov.common.access.rules import PUBLIC, access_rule
from taxgov.federal.profile.queries import has_profile


@access_rule(PUBLIC)
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The public landing page; someone signed in with a profile goes straight to their account."""
    if request.user.is_authenticated and has_profile(int(str(request.user.pk))):
        return redirect("balances:home")
    return render(request, "home/index.html")
