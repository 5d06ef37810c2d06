"""`essaim serve`, the production server: the command line it builds, and granian really answering."""

import http.client
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from essaim.core.management.commands import serve
from essaim.core.management.commands.serve import granian_argv

ROOT = Path(__file__).resolve().parents[2]


def test_granian_argv_runs_the_wsgi_application_with_workers_and_threads():
    argv = granian_argv("/venv/bin/granian", bind="0.0.0.0:8080", workers=3, threads=6)
    assert argv[0] == "/venv/bin/granian"
    assert argv[-1] == "config.wsgi:application"
    pairs = dict(zip(argv, argv[1:], strict=False))  # each option with the value that follows it
    assert pairs["--interface"] == "wsgi"
    assert pairs["--host"] == "0.0.0.0"  # noqa: S104 -- a value checked, not bound
    assert pairs["--port"] == "8080"
    assert pairs["--workers"] == "3"
    assert pairs["--blocking-threads"] == "6"
    assert "--access-log" in argv
    assert "--access-log" not in granian_argv("g", bind="127.0.0.1:1", workers=1, threads=1, access_log=False)


def test_granian_argv_accepts_an_ipv6_host_and_refuses_a_bind_without_port():
    assert granian_argv("g", bind="[::1]:8000", workers=1, threads=1)[4] == "::1"
    with pytest.raises(CommandError, match="hôte:port"):
        granian_argv("g", bind="localhost", workers=1, threads=1)


def test_serve_replaces_itself_by_granian_with_one_worker_per_core(monkeypatch):
    calls = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: calls.append((path, argv)))
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 4)
    out = io.StringIO()
    call_command("serve", "--bind", "127.0.0.1:9000", stdout=out)
    assert "4 workers" in out.getvalue()
    path, argv = calls[0]
    assert Path(path).name == "granian"
    assert argv[argv.index("--workers") + 1] == "4"
    assert argv[argv.index("--blocking-threads") + 1] == str(serve.DEFAULT_THREADS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_granian_serves_the_api_as_json(tmp_path):
    """The real server, started as `essaim serve` starts it: the OpenAPI document and a JSON 404 under /api/."""
    granian = shutil.which("granian", path=os.path.dirname(sys.executable))
    assert granian, "granian is a dependency (pyproject.toml): make install"
    port = _free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp_path}/serve.sqlite3",
        ESSAIM_VAR_DIR=str(tmp_path),
        ESSAIM_SEARCH_INDEX_DIR=str(tmp_path / "index"),
    )
    argv = granian_argv(granian, bind=f"127.0.0.1:{port}", workers=1, threads=2, access_log=False)
    log = tmp_path / "granian.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/v1/openapi.json")
                response = conn.getresponse()
                body = response.read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log.read_text() or "granian did not answer in 30 s") from None
                time.sleep(0.2)
        assert response.status == 200
        assert json.loads(body)["openapi"].startswith("3.1")
        conn.request("GET", "/api/v1/nulle-part")
        missing = conn.getresponse()
        assert missing.status == 404
        assert missing.getheader("Content-Type") == "application/json"
        assert "detail" in json.loads(missing.read())
        conn.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
