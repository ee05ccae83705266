"""URLconf of the `identity` deployable."""

from django.urls import URLPattern, URLResolver, include, path

from config.urls.common import common_patterns, handler400, handler403, handler404, handler500

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("taxgov.identity.home.urls")),
    path("", include("taxgov.identity.signup.urls")),
    path("", include("taxgov.identity.signin.urls")),
    path("", include("taxgov.identity.accounts.urls")),
    path("", include("taxgov.identity.verification.urls")),
    path("", include("taxgov.identity.videocall.urls")),
    path("", include("taxgov.identity.oidc.urls")),
    *common_patterns(),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
