"""The Docker image stays thin over bin/start (which .ci/run exercises with gunicorn) and bin/healthcheck."""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
DOCKERFILE = (BASE_DIR / "Dockerfile").read_text()


def instructions(name):
    return [line.split(None, 1)[1] for line in DOCKERFILE.splitlines() if line.startswith(name + " ")]


def test_image_is_python_311_slim_and_runs_as_a_non_root_user():
    assert instructions("FROM") == ["python:3.11-slim"]
    users = instructions("USER")
    assert users and users[-1] not in {"root", "0"}


def test_image_installs_the_locked_dependencies_with_hashes():
    assert "pip install --require-hashes -r requirements.lock" in DOCKERFILE


def test_image_builds_messages_and_static_files():
    assert "manage.py compilemessages" in DOCKERFILE
    assert "manage.py collectstatic --noinput" in DOCKERFILE


def test_image_starts_and_probes_through_the_tested_scripts():
    assert instructions("EXPOSE") == ["8000"]
    assert instructions("CMD") == ['["/app/bin/start"]']
    assert 'CMD ["python", "/app/bin/healthcheck"]' in instructions("HEALTHCHECK")[0]
    for script in ("bin/start", "bin/healthcheck"):
        assert os.access(BASE_DIR / script, os.X_OK), script


def test_start_script_migrates_then_execs_gunicorn_with_settings_from_the_environment():
    start = (BASE_DIR / "bin" / "start").read_text()
    assert start.index("manage.py migrate") < start.index("exec gunicorn clusters_site.wsgi")
    for variable in ("PORT", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "LOAD_SEED_DATA"):
        assert re.search(rf"\$\{{{variable}:-", start), variable
    assert "--access-logfile -" in start


def test_build_context_leaves_out_local_state_and_secrets():
    ignored = set((BASE_DIR / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".secret_key", ".env", "db.sqlite3", "staticfiles"} <= ignored


def run_healthcheck(port):
    env = {"PATH": os.environ["PATH"], "PORT": str(port)}
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "bin" / "healthcheck")], env=env, capture_output=True, text=True, timeout=30
    )


@pytest.mark.django_db(transaction=True)
def test_healthcheck_passes_when_the_site_answers(live_server):
    result = run_healthcheck(urlsplit(live_server.url).port)
    assert result.returncode == 0, result.stderr
    assert "-> 200" in result.stdout


def test_healthcheck_fails_when_nothing_listens():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_healthcheck(port)
    assert result.returncode == 1
    assert "unreachable" in result.stderr
