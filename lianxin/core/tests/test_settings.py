"""Production mode: refuses to start without its secrets, and passes `check --deploy`."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from lianxin.env import env_bool, env_int

PRODUCTION_SECRETS = {
    "SECRET_KEY": "p" * 20 + "-production-secret-key-for-the-check-only-0123456789",
    "LIANXIN_FIELD_KEYS": Fernet.generate_key().decode(),
    "LIANXIN_INDEX_KEY": "i" * 40,
    "ALLOWED_HOSTS": "lianxin.example.org",
}


def _manage(*args, env_extra, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTEST_VERSION", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
        and not k.startswith("LIANXIN_")
    }
    env.update({"LIANXIN_ENV": "production", "LIANXIN_VAR_DIR": str(tmp_path)}, **env_extra)
    return subprocess.run(
        [sys.executable, "-m", "lianxin", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_the_deployment_check(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra=PRODUCTION_SECRETS,
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "LIANXIN_FIELD_KEYS", "LIANXIN_INDEX_KEY", "ALLOWED_HOSTS"]
)
def test_production_refuses_to_start_without_a_secret(tmp_path, missing):
    secrets = {k: v for k, v in PRODUCTION_SECRETS.items() if k != missing}
    result = _manage("check", env_extra=secrets, tmp_path=tmp_path)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_the_demo(tmp_path):
    result = _manage("demo", env_extra=PRODUCTION_SECRETS, tmp_path=tmp_path)
    assert result.returncode != 0


def test_typed_settings_fail_loudly_on_bad_values(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("LX_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="LX_FLAG"):
        env_bool("LX_FLAG")
    monkeypatch.setenv("LX_NUMBER", "eight")
    with pytest.raises(ImproperlyConfigured, match="LX_NUMBER"):
        env_int("LX_NUMBER", 1)
