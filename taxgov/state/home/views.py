from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from taxgov.common.access.rules import PUBLIC, access_rule
from taxgov.state.signin.forms import LoginForm


@access_rule(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home/index.html", {"form": LoginForm()})


@access_rule(PUBLIC)
def faq(request: HttpRequest) -> HttpResponse:
    return render(request, "home/faq.html")


@access_rule(PUBLIC)
def tutorials(request: HttpRequest) -> HttpResponse:
    return render(request, "home/tutorials.html")
