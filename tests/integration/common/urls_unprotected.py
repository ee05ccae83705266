"""A URLconf with one view that forgot its access rule, beside correctly declared ones.

Used by test_access.py through ``@pytest.mark.urls``; ``common_patterns()`` keeps the language
switch that every page layout links to, and the friendly error handlers are the real ones.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.views import View

from config.urls.common import common_patterns, handler403, handler404, handler500
from taxgov.common.access.rules import PUBLIC, SIGNED_IN, STAFF, access_rule

SECRET = "unprotected view content"


def forgotten(request: HttpRequest) -> HttpResponse:
    return HttpResponse(SECRET)


@access_rule(PUBLIC)
def open_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("open page")


@access_rule(SIGNED_IN)
def account_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("your account")


@access_rule(SIGNED_IN, STAFF)
def staff_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("staff only")


@access_rule(PUBLIC)
class OpenClassView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("open class view")


@access_rule(SIGNED_IN)
class AccountClassView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("account class view")


urlpatterns: list[URLPattern | URLResolver] = [
    path("forgotten/", forgotten, name="forgotten"),
    path("open/", open_page, name="open"),
    path("account/", account_page, name="account"),
    path("staff/", staff_page, name="staff"),
    path("class/open/", OpenClassView.as_view(), name="class-open"),
    path("class/account/", AccountClassView.as_view(), name="class-account"),
    *common_patterns(),
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
