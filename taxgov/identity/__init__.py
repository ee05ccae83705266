"""Deployable 1: the identity provider (accounts, MFA, identity verification, OpenID Connect)."""
