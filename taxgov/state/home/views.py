from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from taxgov.common.access.rules import PUBLIC, access_rule


@access_rule(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home/index.html")
