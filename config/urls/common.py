"""Routes every deployable serves: language switch, error handlers, health, readiness and
metrics, development tools."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from taxgov.common.access.rules import PUBLIC, access_rule
from taxgov.common.security.views import keep_alive
from taxgov.common.uswds.gallery import component_gallery

handler400 = "taxgov.common.uswds.views.bad_request"
handler403 = "taxgov.common.uswds.views.permission_denied"
handler404 = "taxgov.common.uswds.views.page_not_found"
handler500 = "taxgov.common.uswds.views.server_error"


def common_patterns() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = [
        path("i18n/setlang/", access_rule(PUBLIC)(set_language), name="set_language"),
        path("session/keep-alive/", keep_alive, name="keep_alive"),
        path("", include("taxgov.common.observability.urls")),
    ]
    if settings.TAXGOV_DEV_TOOLS:
        patterns += [
            path("dev/outbox/", include("taxgov.common.messaging.urls")),
            path("dev/components/", component_gallery, name="component_gallery"),
        ]
    return patterns
