"""nginx for the scale-out cluster: the committed site (deploy/nginx/essaim.conf) parsed, pointed at the cluster's
nodes, port and folders (its TLS server turned into plain HTTP on a free port, its HTTP redirect dropped), and
wrapped in a main configuration whose pid, temporary and log files live in the cluster's folder."""

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX_SITE = ROOT / "deploy" / "nginx" / "essaim.conf"
DEPLOY_VAR_DIR = "/srv/essaim/var"  # where deploy/nginx/essaim.conf expects STATIC_ROOT and MEDIA_ROOT


class NginxConfigError(ValueError):
    """deploy/nginx/essaim.conf cannot be run by the cluster as it is."""


@dataclass
class Directive:
    """One nginx directive: its name, its arguments and, for a block, the directives inside."""

    name: str
    args: list[str] = field(default_factory=list)
    block: list["Directive"] | None = None


def _tokens(text: str):
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif char in "{};":
            yield char
            i += 1
        elif char in "\"'":
            end = text.index(char, i + 1)
            yield text[i : end + 1]
            i = end + 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in "{};":
                i += 1
            yield text[start:i]


def parse_nginx(text: str) -> list[Directive]:
    """nginx's configuration syntax, enough for our files: directives, blocks, quotes and comments."""
    stack: list[list[Directive]] = [[]]
    words: list[str] = []
    for token in _tokens(text):
        if token == ";":
            stack[-1].append(Directive(words[0], words[1:]))
            words = []
        elif token == "{":
            directive = Directive(words[0], words[1:], [])
            stack[-1].append(directive)
            stack.append(directive.block)
            words = []
        elif token == "}":
            stack.pop()
        else:
            words.append(token)
    if len(stack) != 1 or words:
        raise NginxConfigError("Configuration nginx mal formée (accolades ou point-virgule manquants).")
    return stack[0]


def dump_nginx(directives: list[Directive], indent: int = 0) -> str:
    lines = []
    for directive in directives:
        head = " " * indent + " ".join([directive.name, *directive.args])
        if directive.block is None:
            lines.append(head + ";")
        else:
            lines.append(head + " {")
            lines.append(dump_nginx(directive.block, indent + 4))
            lines.append(" " * indent + "}")
    return "\n".join(line for line in lines if line)


def _is_https_server(directive: Directive) -> bool:
    return directive.name == "server" and any(
        d.name.startswith("ssl_") or (d.name == "listen" and "ssl" in d.args) for d in directive.block or []
    )


def render_nginx_site(site: str, *, port: int, nodes: list[int], var_dir: Path, log_dir: Path) -> list[Directive]:
    """The committed site (deploy/nginx/essaim.conf) made to run here: the upstream's ``server`` lines point to the
    cluster's nodes (with the file's own parameters: max_fails, fail_timeout), the HTTPS server listens on
    127.0.0.1:``port`` in plain HTTP (no certificate, no ``ssl_*``), the HTTP→HTTPS redirect server is left out,
    ``/srv/essaim/var`` (STATIC_ROOT's and MEDIA_ROOT's parent) becomes ``var_dir`` and the logs go to
    ``log_dir``."""
    result = []
    for directive in parse_nginx(site):
        if directive.name == "upstream":
            servers = [d for d in directive.block if d.name == "server"]
            if not servers:
                raise NginxConfigError("deploy/nginx/essaim.conf : l'upstream n'a aucune ligne server.")
            params = servers[0].args[1:]
            others = [d for d in directive.block if d.name != "server"]
            directive.block = [Directive("server", [f"127.0.0.1:{node}", *params]) for node in nodes] + others
            result.append(directive)
        elif directive.name == "server":
            if _is_https_server(directive):
                result.append(_local_server(directive, port=port, var_dir=var_dir, log_dir=log_dir))
        else:
            result.append(directive)
    if not any(d.name == "server" for d in result):
        raise NginxConfigError("deploy/nginx/essaim.conf : aucun server HTTPS (listen … ssl) à faire tourner ici.")
    return result


def _local_server(server: Directive, *, port: int, var_dir: Path, log_dir: Path) -> Directive:
    def walk(block):
        out = []
        for d in block:
            if d.name == "listen" or d.name.startswith("ssl_") or d.name == "http2":
                continue
            if d.name == "server_name":
                d = Directive("server_name", ["127.0.0.1", "localhost"])
            elif d.name in ("access_log", "error_log") and d.args and d.args[0] != "off":
                d = Directive(d.name, [str(log_dir / Path(d.args[0]).name), *d.args[1:]])
            else:
                d.args = [
                    str(var_dir) + arg[len(DEPLOY_VAR_DIR) :] if arg.startswith(DEPLOY_VAR_DIR) else arg
                    for arg in d.args
                ]
            if d.block is not None:
                d.block = walk(d.block)
            out.append(d)
        return out

    return Directive("server", [], [Directive("listen", [f"127.0.0.1:{port}"]), *walk(server.block)])


def render_nginx_main(site: list[Directive], *, prefix: Path) -> str:
    """A minimal main configuration around the site: in the foreground, pid, temporary files and logs in
    ``prefix``; ``user`` only when running as root (nginx's workers would otherwise become nobody, who cannot
    read the cluster's folders)."""
    temp = {
        name: prefix / "temp" / name
        for name in ("client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path")
    } | {"scgi_temp_path": prefix / "temp" / "scgi"}
    http = [Directive("include", ["/etc/nginx/mime.types"])] if Path("/etc/nginx/mime.types").exists() else []
    http += [Directive("default_type", ["application/octet-stream"])]
    http += [Directive(name, [str(path)]) for name, path in temp.items()]
    http += [Directive("access_log", [str(prefix / "logs" / "access.log")]), *site]
    main = [
        Directive("daemon", ["off"]),
        Directive("worker_processes", ["1"]),
        Directive("pid", [str(prefix / "nginx.pid")]),
        Directive("error_log", [str(prefix / "logs" / "error.log"), "warn"]),
        Directive("events", [], [Directive("worker_connections", ["512"])]),
        Directive("http", [], http),
    ]
    if os.geteuid() == 0:
        main.insert(0, Directive("user", ["root"]))
    return dump_nginx(main) + "\n"


def write_nginx_config(prefix: Path, *, port: int, nodes: list[int], var_dir: Path) -> Path:
    """Writes ``prefix``/nginx.conf from deploy/nginx/essaim.conf and makes its folders; returns its path."""
    for folder in ("logs", "temp"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    site = render_nginx_site(NGINX_SITE.read_text(), port=port, nodes=nodes, var_dir=var_dir, log_dir=prefix / "logs")
    conf = prefix / "nginx.conf"
    conf.write_text(render_nginx_main(site, prefix=prefix))
    return conf
