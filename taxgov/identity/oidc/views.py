"""The provider's public documents: discovery (OpenID Connect Discovery 1.0) and the JWKS.
Both are public by design and cached briefly by clients."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from taxgov.common.access.rules import PUBLIC, access_rule
from taxgov.identity.oidc import claims, queries
from taxgov.identity.oidc.models import AuthMethod


@access_rule(PUBLIC)
@require_GET
@cache_control(public=True, max_age=300)
def discovery(request: HttpRequest) -> JsonResponse:
    issuer = queries.issuer(request)
    return JsonResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/openid/authorize",
            "token_endpoint": f"{issuer}/openid/token",
            "userinfo_endpoint": f"{issuer}/openid/userinfo",
            "jwks_uri": f"{issuer}/openid/jwks",
            "end_session_endpoint": f"{issuer}/openid/logout",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": [method.value for method in AuthMethod],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "ES256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": list(claims.SCOPE_CLAIMS),
            "claims_supported": claims.supported_claims(),
            "acr_values_supported": claims.supported_acr_values(),
            "prompt_values_supported": ["none", "login", "consent"],
            "claims_parameter_supported": False,
            "request_parameter_supported": False,
            "request_uri_parameter_supported": False,
            "authorization_response_iss_parameter_supported": True,
            "ui_locales_supported": ["en", "es"],
        }
    )


@access_rule(PUBLIC)
@require_GET
@cache_control(public=True, max_age=300)
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"keys": [key.public_jwk for key in queries.published_keys(timezone.now())]})
