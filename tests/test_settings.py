"""clusters_site/settings.py: every environment variable it reads, and how it refuses bad ones.

Settings are module-level code, so each case loads a fresh copy of the module with its own
environment; `manage.py` runs in a subprocess where the real start-up path matters.
"""

import importlib.util
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS_FILE = BASE_DIR / "clusters_site" / "settings.py"
ENV_VARIABLES = (
    "DATABASE_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_HSTS_SECONDS",
    "DJANGO_CONN_MAX_AGE",
    "DJANGO_LOG_LEVEL",
    "DJANGO_STATIC_ROOT",
    "MAP_TILES_URL",
    "MAP_TILES_ATTRIBUTION",
)


def load_settings(monkeypatch, **env):
    """A fresh copy of the settings module, read with exactly `env` among the variables it knows."""
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def production_env(tmp_path):
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "clusters.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }


def manage(*args, env):
    """Runs manage.py with a clean environment: nothing inherited from the test run."""
    clean_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = manage("check", env={})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_database_checks_on_sqlite_say_nothing_about_postgresql_only_index_columns(tmp_path):
    # The INCLUDE columns of two indexes are for PostgreSQL; SQLite's warning is silenced.
    result = manage("check", "--database", "default", env=production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "W040" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_off_without_a_secret_key_raises_in_the_settings(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        load_settings(monkeypatch)


def test_debug_is_off_unless_set(monkeypatch):
    assert load_settings(monkeypatch, DJANGO_SECRET_KEY="x").DEBUG is False
    assert load_settings(monkeypatch, DJANGO_SECRET_KEY="x", DJANGO_DEBUG="false").DEBUG is False
    assert load_settings(monkeypatch, DJANGO_SECRET_KEY="x", DJANGO_DEBUG="true").DEBUG is True


def test_debug_on_without_a_secret_key_gets_a_throwaway_one(monkeypatch):
    first = load_settings(monkeypatch, DJANGO_DEBUG="true").SECRET_KEY
    second = load_settings(monkeypatch, DJANGO_DEBUG="true").SECRET_KEY
    assert len(first) >= 50
    assert first != second


def test_database_url_for_postgresql_uses_psycopg_backend(monkeypatch):
    settings = load_settings(
        monkeypatch,
        DJANGO_SECRET_KEY="x",
        DATABASE_URL="postgres://clusters:s3cret@db.internal:5433/annuaire",
        DJANGO_CONN_MAX_AGE="120",
    )
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("annuaire", "clusters", "s3cret")
    assert (database["HOST"], database["PORT"]) == ("db.internal", 5433)
    assert database["CONN_MAX_AGE"] == 120
    assert database["CONN_HEALTH_CHECKS"] is True


def test_database_defaults_to_an_sqlite_file_in_the_project(monkeypatch):
    database = load_settings(monkeypatch, DJANGO_SECRET_KEY="x").DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "db.sqlite3")


def test_allowed_hosts_and_csrf_origins_are_comma_separated_lists(monkeypatch):
    settings = load_settings(
        monkeypatch,
        DJANGO_SECRET_KEY="x",
        DJANGO_ALLOWED_HOSTS="annuaire.franceclusters.fr, www.annuaire.franceclusters.fr,",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://annuaire.franceclusters.fr",
    )
    assert settings.ALLOWED_HOSTS == ["annuaire.franceclusters.fr", "www.annuaire.franceclusters.fr"]
    assert settings.CSRF_TRUSTED_ORIGINS == ["https://annuaire.franceclusters.fr"]


def test_allowed_hosts_default_to_the_local_machine(monkeypatch):
    assert load_settings(monkeypatch, DJANGO_SECRET_KEY="x").ALLOWED_HOSTS == ["localhost", "127.0.0.1", "[::1]"]


def test_ssl_redirect_is_on_by_default_when_debug_is_off(monkeypatch):
    assert load_settings(monkeypatch, DJANGO_SECRET_KEY="x").SECURE_SSL_REDIRECT is True
    assert load_settings(monkeypatch, DJANGO_DEBUG="true").SECURE_SSL_REDIRECT is False
    settings = load_settings(monkeypatch, DJANGO_SECRET_KEY="x", DJANGO_SECURE_SSL_REDIRECT="false")
    assert settings.SECURE_SSL_REDIRECT is False


def test_production_defaults_trust_the_proxy_and_pin_https(monkeypatch):
    settings = load_settings(monkeypatch, DJANGO_SECRET_KEY="x")
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings.SECURE_HSTS_SECONDS == 31536000
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert load_settings(monkeypatch, DJANGO_SECRET_KEY="x", DJANGO_HSTS_SECONDS="60").SECURE_HSTS_SECONDS == 60


def test_production_static_files_are_hashed_and_compressed(monkeypatch, tmp_path):
    settings = load_settings(monkeypatch, DJANGO_SECRET_KEY="x", DJANGO_STATIC_ROOT=str(tmp_path))
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert settings.STATIC_ROOT == tmp_path
    assert load_settings(monkeypatch, DJANGO_SECRET_KEY="x").STATIC_ROOT == BASE_DIR / "staticfiles"


def test_map_tiles_come_from_the_environment_and_enter_the_csp(monkeypatch):
    settings = load_settings(
        monkeypatch,
        DJANGO_SECRET_KEY="x",
        MAP_TILES_URL="https://tiles.example.org/{z}/{x}/{y}.png",
        MAP_TILES_ATTRIBUTION="© Example",
    )
    assert settings.LEAFLET_CONFIG["TILES"][0][1] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert settings.LEAFLET_CONFIG["TILES"][0][2]["attribution"] == "© Example"
    assert "https://tiles.example.org" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]


def test_log_level_comes_from_the_environment(monkeypatch):
    assert load_settings(monkeypatch, DJANGO_SECRET_KEY="x", DJANGO_LOG_LEVEL="WARNING").LOGGING["root"]["level"] == (
        "WARNING"
    )


def test_french_is_the_default_language_in_paris_time(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert [code for code, _name in settings.LANGUAGES] == ["fr", "en"]
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_is_exempt_from_the_https_redirect(client):
    response = client.get("/healthz")
    assert response.status_code == 200


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_pages_over_http_are_redirected_to_https(client):
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_pages_behind_a_tls_proxy_are_not_redirected(client):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200


def test_check_deploy_with_production_settings_reports_nothing(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["clusters.example.org"], SECURE_SSL_REDIRECT=True)
def test_healthz_answers_a_probe_by_ip_address_over_http(client):
    """Load balancers and Docker probe by IP address: a Host that ALLOWED_HOSTS refuses."""
    assert client.get("/healthz", headers={"Host": "10.0.3.7:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "10.0.3.7:8000"}).status_code == 400


def test_env_example_documents_every_variable_the_settings_and_start_script_read():
    read = set(re.findall(r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z_]+)"', SETTINGS_FILE.read_text()))
    read |= set(re.findall(r"\$\{([A-Z_]+):-", (BASE_DIR / "bin" / "start").read_text()))
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", (BASE_DIR / ".env.example").read_text(), re.MULTILINE))
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "PORT", "LOAD_SEED_DATA"} <= read
    assert read - documented == set()
