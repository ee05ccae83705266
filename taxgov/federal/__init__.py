"""Deployable 2: the federal Online Account, a relying party of the identity provider."""
