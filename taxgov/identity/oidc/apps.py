from django.apps import AppConfig


class OidcConfig(AppConfig):
    name = "taxgov.identity.oidc"
    label = "identity_oidc"
    verbose_name = "OpenID Connect provider"
