"""URLconf of the `state` deployable."""

from django.urls import URLPattern, URLResolver, include, path

from config.urls.common import common_patterns, handler400, handler403, handler404, handler500

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("taxgov.state.home.urls")),
    path("", include("taxgov.state.registration.urls")),
    path("", include("taxgov.state.signin.urls")),
    path("", include("taxgov.state.portal.urls")),
    path("", include("taxgov.state.payments.urls")),
    path("", include("taxgov.state.delegation.urls")),
    *common_patterns(),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
