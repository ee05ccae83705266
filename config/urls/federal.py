"""URLconf of the `federal` deployable."""

from django.urls import URLPattern, URLResolver, include, path

from config.urls.common import common_patterns, handler400, handler403, handler404, handler500

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("taxgov.federal.home.urls")),
    path("", include("taxgov.federal.signin.urls")),
    path("", include("taxgov.federal.balances.urls")),
    path("", include("taxgov.federal.profile.urls")),
    path("", include("taxgov.federal.payments.urls")),
    path("", include("taxgov.federal.plans.urls")),
    path("", include("taxgov.federal.offers.urls")),
    path("", include("taxgov.federal.records.urls")),
    path("", include("taxgov.federal.notices.urls")),
    path("", include("taxgov.federal.forms.urls")),
    path("", include("taxgov.federal.authorizations.urls")),
    path("", include("taxgov.federal.business.urls")),
    *common_patterns(),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
