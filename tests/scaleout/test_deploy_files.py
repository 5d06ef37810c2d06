"""The production files of deploy/ (normal suite, no server started): nginx accepts the site as the scale-out
harness runs it, and every systemd unit starts an ``essaim`` command that exists, with options it accepts."""

import configparser
import shlex
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from tests.scaleout.cluster import nginx_binary
from tests.scaleout.nginx import ROOT, parse_nginx, write_nginx_config

UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
SITE = ROOT / "deploy" / "nginx" / "essaim.conf"


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string(path.read_text())
    return parser


def test_nginx_accepts_the_site_as_the_harness_renders_it(tmp_path):
    binary = nginx_binary()
    if binary is None:
        pytest.skip("nginx introuvable : apt-get install nginx")
    conf = write_nginx_config(tmp_path, port=18080, nodes=[18081, 18082], var_dir=tmp_path / "var")
    done = subprocess.run(  # noqa: S603
        [binary, "-t", "-p", f"{tmp_path}/", "-c", str(conf), "-e", str(tmp_path / "logs" / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    rendered = conf.read_text()
    assert "server 127.0.0.1:18081 max_fails=3 fail_timeout=10s;" in rendered
    assert "listen 127.0.0.1:18080;" in rendered
    assert "ssl_certificate" not in rendered


def test_the_site_balances_and_forwards_what_essaim_expects():
    """The settings the nodes rely on: the headers ESSAIM_BEHIND_PROXY and ESSAIM_TRUSTED_PROXIES read, retries on
    another node, the upload limit, an HTTP server that only redirects (and passes /health)."""
    directives = parse_nginx(SITE.read_text())
    (upstream,) = [d for d in directives if d.name == "upstream"]
    servers = [d for d in upstream.block if d.name == "server"]
    assert len(servers) >= 2 and all("max_fails=3" in d.args and "fail_timeout=10s" in d.args for d in servers)
    http, https = [d for d in directives if d.name == "server"]
    assert [d.args for d in http.block if d.name == "listen"] == [["80"], ["[::]:80"]]
    redirect = next(d for d in http.block if d.name == "location" and d.args == ["/"])
    assert redirect.block[0].name == "return" and redirect.block[0].args[0] == "301"
    found = {(d.name, *d.args) for d in https.block if d.block is None}
    assert ("proxy_set_header", "X-Forwarded-For", "$proxy_add_x_forwarded_for") in found
    assert ("proxy_set_header", "X-Forwarded-Proto", "$scheme") in found
    assert ("proxy_set_header", "Host", "$http_host") in found
    assert ("proxy_next_upstream", "error", "timeout", "http_502", "http_503") in found
    assert ("client_max_body_size", "9m") in found
    locations = {" ".join(d.args): d for d in https.block if d.name == "location"}
    assert {"= /health", "/static/", "/media/", "/"} <= set(locations)
    assert all("private" not in " ".join(d.args) for loc in locations.values() for d in loc.block)


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_each_systemd_unit_runs_an_existing_essaim_command(path):
    service = unit(path)["Service"]
    assert service["User"] == "essaim"
    assert service["EnvironmentFile"] == "/etc/essaim/env"
    assert service["Restart"] == "always"
    assert int(service["TimeoutStopSec"]) > 0
    program, command, *options = shlex.split(service["ExecStart"])
    assert program == "/srv/essaim/.venv/bin/essaim"
    commands = get_commands()
    assert command in commands, f"{path.name} : essaim {command} n'existe pas"
    parser = load_command_class(commands[command], command).create_parser("essaim", command)
    parser.parse_args(options)  # an unknown or badly typed option stops the test (CommandError)


def test_the_units_cover_web_worker_and_index_sync():
    commands = {shlex.split(unit(path)["Service"]["ExecStart"])[1] for path in UNITS}
    assert commands == {"serve", "worker", "index_sync"}
