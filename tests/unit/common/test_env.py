"""Reading configuration from the environment (config/env.py)."""

from __future__ import annotations

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

NAME = "UNIT_TEST_SETTING"


@pytest.fixture
def clean_environment(monkeypatch):
    """No TAXGOV_*UNIT_TEST_SETTING variable, whatever the shell running pytest has set."""
    for deployable in env.DEPLOYABLES:
        monkeypatch.delenv(f"TAXGOV_{deployable.upper()}_{NAME}", raising=False)
    monkeypatch.delenv(f"TAXGOV_{NAME}", raising=False)
    return monkeypatch


def test_get_prefers_the_deployable_specific_variable_over_the_shared_one(clean_environment):
    clean_environment.setenv(f"TAXGOV_{NAME}", "shared")
    clean_environment.setenv(f"TAXGOV_FEDERAL_{NAME}", "federal-only")

    assert env.get("federal", NAME) == "federal-only"
    assert env.get("identity", NAME) == "shared"
    assert env.get("state", NAME) == "shared"


def test_get_uses_the_specific_variable_even_when_it_is_empty(clean_environment):
    clean_environment.setenv(f"TAXGOV_{NAME}", "shared")
    clean_environment.setenv(f"TAXGOV_STATE_{NAME}", "")

    assert env.get("state", NAME) == ""


def test_get_returns_default_when_neither_variable_is_set(clean_environment):
    assert env.get("identity", NAME) is None
    assert env.get("identity", NAME, "fallback") == "fallback"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("YES", True), ("On", True), ("0", False), ("false", False), ("No", False)],
)
def test_get_bool_reads_common_spellings(clean_environment, raw, expected):
    clean_environment.setenv(f"TAXGOV_{NAME}", raw)

    assert env.get_bool("identity", NAME, default=not expected) is expected


def test_get_bool_returns_default_when_unset(clean_environment):
    assert env.get_bool("identity", NAME, default=True) is True
    assert env.get_bool("identity", NAME, default=False) is False


@pytest.mark.parametrize("raw", ["maybe", "", "2", "enabled"])
def test_get_bool_raises_when_value_is_junk(clean_environment, raw):
    clean_environment.setenv(f"TAXGOV_IDENTITY_{NAME}", raw)

    with pytest.raises(ImproperlyConfigured, match="true or false"):
        env.get_bool("identity", NAME, default=False)


def test_get_list_splits_on_commas_and_drops_blanks(clean_environment):
    clean_environment.setenv(f"TAXGOV_{NAME}", " a.example, ,b.example,")

    assert env.get_list("identity", NAME, ["default"]) == ["a.example", "b.example"]


def test_mode_raises_when_taxgov_env_is_unknown(monkeypatch):
    monkeypatch.setenv("TAXGOV_ENV", "staging")

    with pytest.raises(ImproperlyConfigured, match="TAXGOV_ENV"):
        env.mode()


def test_secret_raises_in_production_when_missing(clean_environment, tmp_path):
    clean_environment.setenv("TAXGOV_ENV", "production")
    clean_environment.setenv("TAXGOV_DATA_DIR", str(tmp_path))

    with pytest.raises(ImproperlyConfigured, match=f"TAXGOV_IDENTITY_{NAME}"):
        env.secret("identity", NAME)
    assert not (tmp_path / "secrets").exists(), "production never writes a generated secret"


def test_secret_returns_the_environment_value_in_production(clean_environment):
    clean_environment.setenv("TAXGOV_ENV", "production")
    clean_environment.setenv(f"TAXGOV_{NAME}", "from-the-vault")

    assert env.secret("identity", NAME) == "from-the-vault"


def test_secret_generates_a_private_file_in_development_and_reuses_it(clean_environment, tmp_path):
    clean_environment.setenv("TAXGOV_ENV", "development")
    clean_environment.setenv("TAXGOV_DATA_DIR", str(tmp_path))

    first = env.secret("identity", NAME)

    path = tmp_path / "secrets" / f"identity-{NAME.lower()}"
    assert path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
    assert len(first) >= 43  # 32 random bytes, base64
    assert env.secret("identity", NAME) == first


def test_secret_generates_a_different_value_per_deployable_in_development(clean_environment, tmp_path):
    clean_environment.setenv("TAXGOV_ENV", "development")
    clean_environment.setenv("TAXGOV_DATA_DIR", str(tmp_path))

    assert env.secret("identity", NAME) != env.secret("federal", NAME)


def test_secret_prefers_the_environment_over_the_generated_file_in_development(clean_environment, tmp_path):
    clean_environment.setenv("TAXGOV_ENV", "development")
    clean_environment.setenv("TAXGOV_DATA_DIR", str(tmp_path))
    generated = env.secret("identity", NAME)
    clean_environment.setenv(f"TAXGOV_IDENTITY_{NAME}", "explicit")

    assert env.secret("identity", NAME) == "explicit"
    assert generated != "explicit"


def test_secret_is_fixed_and_per_name_in_test_mode(clean_environment, tmp_path):
    clean_environment.setenv("TAXGOV_ENV", "test")
    clean_environment.setenv("TAXGOV_DATA_DIR", str(tmp_path))

    assert env.secret("identity", NAME) == env.secret("identity", NAME)
    assert env.secret("identity", NAME) != env.secret("federal", NAME)
    assert not (tmp_path / "secrets").exists()
