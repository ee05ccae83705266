from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from taxgov.common.access.rules import SIGNED_IN, access_rule


@access_rule(SIGNED_IN)
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay logged in": the request itself resets the idle clock (``IdleTimeoutMiddleware``)."""
    return HttpResponse(status=204)
