"""A scale-out deployment of Essaim made of real servers started on this machine, for the ``scaleout`` tests
(tests/scaleout) and the benchmarks (bench/): a PostgreSQL 15 primary and a hot standby of its own, web nodes
(``essaim serve``, each with its own search index kept in step by ``essaim index_sync --loop``), workers, and nginx
in front of the nodes (or a small Python round-robin proxy when nginx is missing).

Nothing here imports pytest. ``Cluster`` is a context manager: it stops everything it started, even on failure, and
prints the last lines of each process's log (all kept in its temporary folder) when the block fails. Every wait has
a deadline; a wait that times out raises ``ClusterError`` with the last lines of the logs that explain it. The
machine's own PostgreSQL is never touched: the cluster runs its own servers, on free ports, listening on 127.0.0.1.
"""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import psycopg

from tests.scaleout.nginx import write_nginx_config

ROOT = Path(__file__).resolve().parents[2]
DEMO_TERRITORY = "200072460"
ADMIN_EMAIL = "reseau@example.org"
ADMIN_PASSWORD = "mot-de-passe-du-reseau-2026"  # noqa: S105 -- a throwaway cluster's admin
START_TIMEOUT_S = 60.0
COMMAND_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 15.0
LOG_LINES = 40
ENV_PREFIXES_DROPPED = ("ESSAIM_", "DATABASE_", "EMAIL_", "DJANGO_SUPERUSER_")
ENV_NAMES_DROPPED = {"CACHE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "MEDIA_ROOT", "CSRF_TRUSTED_ORIGINS"}


class ClusterError(RuntimeError):
    """A piece of the cluster did not start, stop or answer in time; the message carries the logs that explain
    why."""


def free_port() -> int:
    """A port nobody listens on now (bound to port 0 on 127.0.0.1, then closed)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = LOG_LINES) -> str:
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return "(pas de journal)"
    return "\n".join(text.splitlines()[-lines:])


def wait_for(check, *, timeout: float, what: str, logs=(), interval: float = 0.1):
    """Calls ``check`` until it returns something true (an exception counts as "not yet") and returns it; after
    ``timeout`` seconds raises ClusterError with the last error and the end of ``logs`` (paths)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            result = check()
        except Exception as exc:  # noqa: BLE001 -- "not yet": reported if the deadline passes
            result, last = None, exc
        if result:
            return result
        if time.monotonic() > deadline:
            details = "".join(f"\n--- {path}\n{tail(path)}" for path in logs)
            raise ClusterError(f"{what} : toujours pas après {timeout:.0f} s (dernière erreur : {last!r}){details}")
        time.sleep(interval)


def pg_bindir() -> Path | None:
    """The folder of PostgreSQL 15's programs: ``pg_config --bindir``, Debian's folder, then the PATH."""
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True)  # noqa: S603
            candidates.append(Path(done.stdout.strip()))
        except (OSError, subprocess.SubprocessError):
            pass
    candidates.append(Path("/usr/lib/postgresql/15/bin"))
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).resolve().parent)
    for folder in candidates:
        if all((folder / tool).exists() for tool in ("initdb", "pg_ctl", "pg_basebackup")):
            return folder
    return None


def nginx_binary() -> str | None:
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else shutil.which("nginx")


def missing_tools() -> list[str]:
    """The programs the cluster needs that this machine lacks."""
    folder = pg_bindir()
    missing = [] if folder else ["initdb", "pg_ctl", "pg_basebackup (PostgreSQL 15)"]
    if not nginx_binary():
        missing.append("nginx")
    return missing


def essaim_binary() -> str:
    beside = Path(sys.executable).parent / "essaim"
    found = str(beside) if beside.exists() else shutil.which("essaim")
    if not found:
        raise ClusterError("La commande essaim est introuvable : make install.")
    return found


def redis_url(db: int) -> str | None:
    """``redis://127.0.0.1:6379/<db>`` when a Redis answers there, else None."""
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, db=db, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 -- any failure means "no Redis here"
        return None
    return f"redis://127.0.0.1:6379/{db}"


# --- processes ---------------------------------------------------------------------------------------------------


class Proc:
    """A process of the cluster, in a process group of its own (so that stopping it stops its children: granian's
    workers), its output in ``log``."""

    def __init__(self, name: str, argv: list[str], *, env: dict, log: Path, cpu: int | None = None):
        self.name, self.log = name, log
        if cpu is not None:
            argv = ["taskset", "-c", str(cpu), *argv]
        with log.open("ab") as out:
            self.popen = subprocess.Popen(  # noqa: S603 -- our own commands
                argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout: float = STOP_TIMEOUT_S) -> None:
        """``sig`` to the whole group, then SIGKILL if it is still there after ``timeout`` seconds."""
        if self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, sig)
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(STOP_TIMEOUT_S)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.stop(signal.SIGKILL)


@dataclass
class Node:
    """A web node: ``essaim serve`` (granian, one worker of four threads) and its ``essaim index_sync --loop``."""

    name: str
    port: int
    env: dict
    cpu: int | None
    web: Proc | None = None
    index_sync: Proc | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """SIGTERM to the server's process group (granian and its workers), and to its index sync."""
        for proc in (self.web, self.index_sync):
            if proc is not None:
                proc.stop()

    def stop_index_sync(self) -> None:
        if self.index_sync is not None:
            self.index_sync.stop()


class RoundRobinProxy:
    """Stands in for nginx when it is missing: a threaded HTTP server passing each request to the next node in
    turn (http.client), the next one again when a node does not answer or answers 502/503 to an idempotent
    request, with the headers nginx sets (Host, X-Forwarded-For, X-Forwarded-Proto)."""

    IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
    HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}

    def __init__(self, port: int, nodes: list[int]):
        self.nodes, self.turn, self.lock = list(nodes), 0, threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # noqa: A002 -- the base class's name
                pass

            def handle_one_request(self):
                try:
                    super().handle_one_request()
                except ConnectionError:
                    self.close_connection = True

            def _forward(self):
                proxy.forward(self)

            do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _forward  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="round-robin-proxy", daemon=True)
        self.thread.start()

    def forward(self, handler) -> None:
        import http.client

        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else None
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in self.HOP_BY_HOP}
        forwarded = handler.headers.get("X-Forwarded-For")
        client = handler.client_address[0]
        headers["X-Forwarded-For"] = f"{forwarded}, {client}" if forwarded else client
        headers["X-Forwarded-Proto"] = "http"
        with self.lock:
            start, self.turn = self.turn, self.turn + 1
        tries = len(self.nodes) if handler.command in self.IDEMPOTENT else 1
        for attempt in range(tries):
            port = self.nodes[(start + attempt) % len(self.nodes)]
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request(handler.command, handler.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except OSError:
                continue
            if response.status in (502, 503) and attempt + 1 < tries:
                continue
            handler.send_response(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in self.HOP_BY_HOP and key.lower() != "content-length":
                    handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(data)
            return
        handler.send_error(502, "No node answered")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the cluster -------------------------------------------------------------------------------------------------


class Cluster:
    """PostgreSQL primary and standby, web nodes, workers and a load balancer, all started here and stopped on
    exit. Typical use::

        with Cluster(replica_max_lag_s=3600) as cluster:
            cluster.start_primary()
            cluster.setup_site()            # migrate, demo, network admin
            cluster.start_standby()
            a, b = cluster.start_node("a"), cluster.start_node("b")
            cluster.start_worker()
            cluster.start_proxy()           # nginx from deploy/nginx/essaim.conf
            httpx.get(cluster.proxy_url + "/health")
    """

    def __init__(
        self,
        *,
        replica_max_lag_s: float = 10,
        replica_pin_seconds: int = 10,
        replica_check_s: float = 5,
        replica_connect_timeout_s: int = 2,
        health_tasks_max_wait_s: int = 900,
        redis_db: int = 11,
        extra_env: dict | None = None,
        keep: bool = False,
        log=None,
    ):
        self.root = Path(tempfile.mkdtemp(prefix="essaim-cluster-"))
        self.root.chmod(0o755)  # the postgres user walks through it to its data folders
        self.keep = keep
        self._log = log or (lambda message: print(f"[cluster] {message}", file=sys.stderr, flush=True))
        self.logs = self.root / "logs"
        self.shared = self.root / "shared"  # stands for /srv/essaim/var shared by the nodes: static, media
        for folder in (self.logs, self.shared / "media", self.shared / "private", self.shared / "mail"):
            folder.mkdir(parents=True)
        self.static_root = self.shared / "static"
        self.mail_dir = self.shared / "mail"
        self.secret_key = secrets.token_urlsafe(48)
        self.settings = {
            "ESSAIM_REPLICA_MAX_LAG_S": str(replica_max_lag_s),
            "ESSAIM_REPLICA_PIN_SECONDS": str(replica_pin_seconds),
            "ESSAIM_REPLICA_CHECK_S": str(replica_check_s),
            "ESSAIM_REPLICA_CONNECT_TIMEOUT_S": str(replica_connect_timeout_s),
            "ESSAIM_HEALTH_TASKS_MAX_WAIT_S": str(health_tasks_max_wait_s),
        } | (extra_env or {})
        self.cache_url = redis_url(redis_db) or "db://"
        self.bindir = pg_bindir()
        self.primary_port: int | None = None
        self.standby_port: int | None = None
        self._pg_running: dict[str, Path] = {}
        self.nodes: dict[str, Node] = {}
        self.workers: list[Proc] = []
        self.proxy_port: int | None = None
        self.nginx: Proc | None = None
        self.fallback_proxy: RoundRobinProxy | None = None
        self._static_done = False

    # context manager --------------------------------------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.print_logs()
        self.close()
        return False

    def close(self) -> None:
        """Stops everything started, the load balancer first and PostgreSQL last; removes the temporary folder
        unless ``keep``."""
        errors = []
        steps = [self.stop_proxy, *[w.stop for w in self.workers], *[n.stop for n in self.nodes.values()]]
        steps += [lambda name=name: self._pg_stop(name, mode="fast") for name in list(self._pg_running)[::-1]]
        for step in steps:
            try:
                step()
            except Exception as exc:  # noqa: BLE001 -- go on stopping the rest, then say it
                errors.append(exc)
        for name in list(self._pg_running):  # a server that refused the fast stop
            self._pg_stop(name, mode="immediate", check=False)
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)
        if errors:
            raise ClusterError(f"Arrêt incomplet du cluster : {errors!r}")

    def log_files(self) -> list[Path]:
        folders = (self.logs, self.root / "pg", self.root / "nginx" / "logs")
        return [path for folder in folders for path in sorted(folder.glob("*.log"))]

    def print_logs(self, lines: int = LOG_LINES) -> None:
        for path in self.log_files():
            print(f"\n===== {path.name} (dernières lignes)\n{tail(path, lines)}", file=sys.stderr, flush=True)

    # PostgreSQL -------------------------------------------------------------------------------------------------

    def _as_postgres(self, argv: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv

    def _pg_tool(self, tool: str, *args, timeout: float = START_TIMEOUT_S) -> str:
        if self.bindir is None:
            raise ClusterError("PostgreSQL 15 introuvable (initdb, pg_ctl, pg_basebackup).")
        argv = self._as_postgres([str(self.bindir / tool), *map(str, args)])
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)  # noqa: S603
        except subprocess.TimeoutExpired as exc:
            raise ClusterError(f"{tool} : pas fini après {timeout:.0f} s\n{exc.stdout}\n{exc.stderr}") from None
        if done.returncode:
            raise ClusterError(f"{tool} a échoué ({done.returncode}) :\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def _pg_folder(self) -> Path:
        folder = self.root / "pg"
        if not folder.exists():
            folder.mkdir()
            if os.geteuid() == 0:
                shutil.chown(folder, "postgres", "postgres")
        return folder

    def pg_data(self, name: str) -> Path:
        """The data folder of the cluster's server ``name`` (``primary`` or ``standby``)."""
        return self._pg_folder() / name

    def _pg_start(self, name: str, data: Path) -> None:
        log = self._pg_folder() / f"postgres-{name}.log"
        try:
            self._pg_tool("pg_ctl", "start", "-w", "-t", int(START_TIMEOUT_S), "-D", data, "-l", log)
        except ClusterError as exc:
            raise ClusterError(f"{exc}\n--- {log}\n{tail(log)}") from None
        self._pg_running[name] = data

    def _pg_stop(self, name: str, *, mode: str, check: bool = True) -> None:
        data = self._pg_running.get(name)
        if data is None:
            return
        try:
            self._pg_tool("pg_ctl", "stop", "-w", "-t", int(STOP_TIMEOUT_S * 2), "-m", mode, "-D", data)
        except ClusterError:
            if check:
                raise
            return
        del self._pg_running[name]

    def start_primary(self) -> None:
        """``initdb`` into the temporary folder (as the postgres user when root), streaming replication allowed on
        127.0.0.1, then ``pg_ctl -w start`` on a free port."""
        data = self.pg_data("primary")
        self._pg_tool("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "-N")
        self.primary_port = free_port()
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# essaim scale-out cluster (a throwaway server: no fsync)\n"
                f"listen_addresses = '127.0.0.1'\nport = {self.primary_port}\nunix_socket_directories = ''\n"
                "wal_level = replica\nmax_wal_senders = 10\nwal_keep_size = '512MB'\nhot_standby = on\n"
                "max_connections = 200\nfsync = off\nfull_page_writes = off\nsynchronous_commit = off\n"
            )
        (data / "pg_hba.conf").write_text("host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n")
        self._pg_start("primary", data)
        self._log(f"PostgreSQL primaire sur 127.0.0.1:{self.primary_port}")

    def start_standby(self) -> None:
        """A hot standby of the primary (``pg_basebackup -R -X stream``) on its own free port; waits until it
        accepts connections and is in recovery. Started again (same data) after ``stop_standby``."""
        data = self.pg_data("standby")
        if not data.exists():
            self._pg_tool(
                "pg_basebackup", "-h", "127.0.0.1", "-p", self.primary_port, "-U", "postgres", "-D", data,
                "-R", "-X", "stream", "-c", "fast", timeout=COMMAND_TIMEOUT_S,
            )  # fmt: skip
            self.standby_port = free_port()
            with (data / "postgresql.conf").open("a") as conf:
                conf.write(f"\n# the standby\nport = {self.standby_port}\nhot_standby = on\n")
        self._pg_start("standby", data)
        wait_for(
            lambda: self.sql("SELECT pg_is_in_recovery()", on="standby")[0][0],
            timeout=START_TIMEOUT_S,
            what="la réplique en lecture seule",
            logs=[self._pg_folder() / "postgres-standby.log"],
        )
        self._log(f"PostgreSQL réplique sur 127.0.0.1:{self.standby_port}")

    def stop_standby(self) -> None:
        """``pg_ctl stop -m fast`` on the standby."""
        self._pg_stop("standby", mode="fast")

    def pause_replay(self) -> None:
        """The standby keeps receiving WAL but applies none of it until ``resume_replay``."""
        self.sql("SELECT pg_wal_replay_pause()", on="standby")
        wait_for(
            lambda: self.sql("SELECT pg_get_wal_replay_pause_state()", on="standby")[0][0] == "paused",
            timeout=10,
            what="la pause de la réplique",
        )

    def resume_replay(self) -> None:
        self.sql("SELECT pg_wal_replay_resume()", on="standby")

    def pg_url(self, on: str = "primary", dbname: str = "essaim") -> str:
        port = self.primary_port if on == "primary" else self.standby_port
        return f"postgres://postgres@127.0.0.1:{port}/{dbname}"

    def sql(self, query: str, params=None, *, on: str = "primary", dbname: str = "essaim") -> list[tuple]:
        """Runs one statement on the primary or the standby (autocommit); the rows, if it returns any."""
        with psycopg.connect(self.pg_url(on, dbname), autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    # the site ---------------------------------------------------------------------------------------------------

    def base_env(self) -> dict:
        """This process's environment without any Essaim, database or mail setting it may carry."""
        return {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(ENV_PREFIXES_DROPPED) and k not in ENV_NAMES_DROPPED
        }

    def setup_env(self) -> dict:
        """For migrate and demo: development settings on the primary, mails kept in memory, tasks run at once."""
        return self.base_env() | {
            "DATABASE_URL": self.pg_url(),
            "ESSAIM_VAR_DIR": str(self.root / "setup"),
            "ESSAIM_SEARCH_INDEX_DIR": str(self.root / "setup" / "index"),
            "MEDIA_ROOT": str(self.shared / "media"),
            "ESSAIM_PRIVATE_ROOT": str(self.shared / "private"),
            "ESSAIM_DEFAULT_TERRITORY": DEMO_TERRITORY,
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "CACHE_URL": "locmem://",
        }

    def node_env(self, name: str, *, replicas: bool = True) -> dict:
        """The production environment of web node (or worker) ``name``."""
        folder = self.root / "nodes" / name
        standby = [self.pg_url("standby")] if replicas and self.standby_port else []
        return (
            self.base_env()
            | self.settings
            | {
                "DATABASE_URL": self.pg_url(),
                "DATABASE_REPLICA_URLS": ",".join(standby),
                "ESSAIM_ENV": "production",
                "SECRET_KEY": self.secret_key,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "ESSAIM_HTTPS": "false",
                "ESSAIM_BEHIND_PROXY": "true",
                "ESSAIM_TRUSTED_PROXIES": "127.0.0.1",
                "ESSAIM_VAR_DIR": str(folder / "var"),
                "ESSAIM_SEARCH_INDEX_DIR": str(folder / "index"),
                "MEDIA_ROOT": str(self.shared / "media"),
                "ESSAIM_PRIVATE_ROOT": str(self.shared / "private"),
                "ESSAIM_DEFAULT_TERRITORY": DEMO_TERRITORY,
                "CACHE_URL": self.cache_url,
                "ESSAIM_TASKS_BACKEND": "database",
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(self.mail_dir),
                "ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT": "100000",
            }
        )

    def essaim(self, *args, env: dict | None = None, timeout: float = COMMAND_TIMEOUT_S) -> str:
        """``essaim <args>`` with ``env`` (a node's: ``cluster.nodes["a"].env``; the setup's by default); its
        output, or ClusterError with it."""
        argv = [essaim_binary(), *map(str, args)]
        try:
            done = subprocess.run(  # noqa: S603
                argv, cwd=ROOT, env=env or self.setup_env(), capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired as exc:
            raise ClusterError(
                f"essaim {' '.join(argv[1:3])} : pas fini après {timeout:.0f} s\n{exc.stderr}"
            ) from None
        if done.returncode:
            raise ClusterError(
                f"essaim {' '.join(argv[1:3])} a échoué ({done.returncode}) :\n{done.stdout}\n{done.stderr}"
            )
        return done.stdout

    def shell(self, code: str, *, env: dict | None = None) -> str:
        """``essaim shell -c code``; what it prints."""
        return self.essaim("shell", "-c", code, env=env)

    def setup_site(self, *, demo: bool = True) -> None:
        """Creates the database ``essaim`` on the primary, migrates it, loads the demo (about 40 s) and creates
        the network admin (ADMIN_EMAIL, ADMIN_PASSWORD)."""
        self.sql("CREATE DATABASE essaim", dbname="postgres")
        started = time.monotonic()
        self.essaim("migrate", "--verbosity", "0")
        if demo:
            self.essaim("demo")
        env = self.setup_env() | {"DJANGO_SUPERUSER_EMAIL": ADMIN_EMAIL, "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD}
        self.essaim("createsuperuser", "--noinput", env=env)
        self._log(f"base migrée{' et démo chargée' if demo else ''} en {time.monotonic() - started:.0f} s")

    def _collectstatic(self) -> None:
        """Once for all nodes: their STATIC_ROOT (var/static) is a link to the shared one."""
        if self._static_done:
            return
        env = self.node_env("collectstatic") | {"ESSAIM_VAR_DIR": str(self.shared)}
        self.essaim("collectstatic", "--noinput", "--verbosity", "0", env=env)
        self._static_done = True

    # web nodes, workers -----------------------------------------------------------------------------------------

    def start_node(self, name: str, *, cpu: int | None = None, replicas: bool = True, wait: bool = True) -> Node:
        """A web node: collectstatic (once), ``reindex`` of its own index, ``index_sync --loop`` beside it, then
        ``essaim serve`` on a free port; waits until ``/health`` answers (whatever its status)."""
        self._collectstatic()
        env = self.node_env(name, replicas=replicas)
        var = Path(env["ESSAIM_VAR_DIR"])
        var.mkdir(parents=True, exist_ok=True)
        if not (var / "static").exists():
            (var / "static").symlink_to(self.static_root, target_is_directory=True)
        self.essaim("reindex", env=env)
        node = self.nodes[name] = Node(name=name, port=free_port(), env=env, cpu=cpu)
        self.start_index_sync(node)
        self.start_web(node, wait=wait)
        return node

    def start_index_sync(self, node: Node) -> None:
        argv = [essaim_binary(), "index_sync", "--loop", "--interval", "0.2"]
        node.index_sync = Proc(
            f"{node.name}-index-sync", argv, env=node.env, log=self.logs / f"{node.name}-index-sync.log", cpu=node.cpu
        )

    def start_web(self, node: Node, *, wait: bool = True) -> None:
        """``essaim serve`` for ``node`` (again, after ``node.stop()``)."""
        argv = [essaim_binary(), "serve", "--bind", f"127.0.0.1:{node.port}", "--workers", "1", "--threads", "4"]
        node.web = Proc(f"{node.name}-web", argv, env=node.env, log=self.logs / f"{node.name}-web.log", cpu=node.cpu)
        if wait:
            self.wait_http(f"{node.url}/health", proc=node.web)
        self._log(f"nœud {node.name} sur {node.url}")

    def start_worker(self, *, cpu: int | None = None) -> Proc:
        """``essaim worker --no-schedule --interval 0.2`` with a node's environment."""
        number = len(self.workers) + 1
        env = self.node_env(f"worker-{number}")
        Path(env["ESSAIM_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
        argv = [essaim_binary(), "worker", "--no-schedule", "--interval", "0.2"]
        proc = Proc(f"worker-{number}", argv, env=env, log=self.logs / f"worker-{number}.log", cpu=cpu)
        wait_for(
            lambda: not proc.alive or "démarré" in proc.log.read_text(errors="replace"),
            timeout=START_TIMEOUT_S,
            what=f"le worker {number}",
            logs=[proc.log],
        )
        if not proc.alive:
            raise ClusterError(f"Le worker {number} s'est arrêté au démarrage :\n{tail(proc.log)}")
        self.workers.append(proc)
        return proc

    def stop_workers(self) -> None:
        for proc in self.workers:
            proc.stop()
        self.workers = []

    def wait_http(self, url: str, *, proc: Proc | None = None, timeout: float = START_TIMEOUT_S) -> httpx.Response:
        """Waits until ``url`` answers (any status); fails early when ``proc`` dies."""

        def answered():
            if proc is not None and not proc.alive:
                raise ClusterError(f"{proc.name} s'est arrêté ({proc.popen.returncode}) :\n{tail(proc.log)}")
            return httpx.get(url, timeout=5)

        return wait_for(answered, timeout=timeout, what=url, logs=[proc.log] if proc else [])

    # load balancer ----------------------------------------------------------------------------------------------

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def start_proxy(self, nodes: list[Node] | None = None) -> str:
        """nginx (from deploy/nginx/essaim.conf) in front of ``nodes`` (all by default), or the Python round-robin
        when nginx is missing; returns its URL once it answers."""
        ports = [n.port for n in (nodes or list(self.nodes.values()))]
        self.proxy_port = free_port()
        binary = nginx_binary()
        if binary is None:
            self._log("nginx introuvable : un répartiteur Python (tourniquet) le remplace")
            self.fallback_proxy = RoundRobinProxy(self.proxy_port, ports)
        else:
            prefix = self.root / "nginx"
            conf = write_nginx_config(prefix, port=self.proxy_port, nodes=ports, var_dir=self.shared)
            argv = [binary, "-p", f"{prefix}/", "-c", str(conf), "-e", str(prefix / "logs" / "error.log")]
            self.nginx = Proc("nginx", argv, env=self.base_env(), log=self.logs / "nginx.log")
            wait_for(
                lambda: self._nginx_up(),
                timeout=START_TIMEOUT_S,
                what="nginx",
                logs=[self.logs / "nginx.log", prefix / "logs" / "error.log"],
            )
            self._log(f"nginx sur {self.proxy_url} devant {ports}")
        return self.proxy_url

    def _nginx_up(self) -> bool:
        if not self.nginx.alive:
            raise ClusterError(f"nginx s'est arrêté :\n{tail(self.logs / 'nginx.log')}")
        httpx.get(self.proxy_url + "/health", timeout=5)
        return True

    def stop_proxy(self) -> None:
        if self.nginx is not None:
            self.nginx.stop(signal.SIGQUIT)
            self.nginx = None
        if self.fallback_proxy is not None:
            self.fallback_proxy.stop()
            self.fallback_proxy = None
