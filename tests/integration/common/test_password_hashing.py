"""The password hasher used outside tests is Argon2id at the parameters ADR 0014 chose."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings

from config.settings.base import PASSWORD_HASHERS, TAXGOV_ARGON2


def test_argon2id_at_the_chosen_parameters():
    with override_settings(PASSWORD_HASHERS=PASSWORD_HASHERS, TAXGOV_ARGON2=TAXGOV_ARGON2):
        encoded = make_password("correct horse battery staple")
        assert encoded.startswith("argon2$argon2id$v=19$m=65536,t=3,p=4$")
        assert check_password("correct horse battery staple", encoded)
        assert not identify_hasher(encoded).must_update(encoded)
