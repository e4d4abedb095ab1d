"""The embedded default: a local Neo4j Community 5.26 LTS installed, started and stopped by the hub.

Maven Central does not serve the server distribution (``org.neo4j.assembly:neo4j-community``,
classifier ``unix``, type ``tar.gz``): its metadata answers 404. So ``install`` builds the small
launcher in ``neo4j-launcher/`` with ``mvn``: the real engine (``org.neo4j:neo4j``) and its Bolt
server (``org.neo4j:neo4j-bolt``) in one JVM, configured from a ``neo4j.conf`` written here.
See docs/operations.md.

Layout under ``settings.neo4j_home`` (default ``.neo4j/``)::

    lib/                      launcher jar and the engine's jars
    password                  generated password of the user neo4j (mode 600)
    instances/<name>/         one Neo4j home per instance ("main", "test")
        neo4j.conf  data/  logs/  console.log  run/pid  run/ready
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from hub.settings import PROJECT_ROOT, Settings

NEO4J_VERSION = "5.26.30"
LAUNCHER_DIR = PROJECT_ROOT / "neo4j-launcher"
MAIN_CLASS = "credithub.EmbeddedNeo4j"


def install_marker() -> str:
    """Neo4j version plus a hash of the launcher sources: a changed launcher is rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(LAUNCHER_DIR.rglob("*")):
        if path.is_file() and "target" not in path.parts:
            digest.update(path.read_bytes())
    return f"{NEO4J_VERSION} {digest.hexdigest()[:12]}"


def _reap(pid: int) -> tuple[bool, int]:
    """(exited, wait status) for a child of this process; (False, 0) for anyone else's."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False, 0
    return done == pid, status


def _zombie(pid: int) -> bool:
    """Whether the process has exited but its parent has not reaped it yet (Linux /proc): an
    instance started by a long-lived process (a benchmark) and stopped by another one (the
    command it runs) is such a zombie until the first one waits for it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state == "Z"


class EmbeddedError(RuntimeError):
    """The embedded Neo4j could not be installed, started or reached."""


@dataclass(frozen=True)
class InstanceSpec:
    name: str
    port: int
    heap: str
    pagecache: str


# The JVM options the Neo4j 5 server distribution starts with (its neo4j.conf defaults): the
# add-opens let Netty and the transaction log use their native paths (without them debug.log
# warns "Unable to advise ... Incorrect file descriptor"), TrustFinalNonStaticFields lets the
# JIT fold the engine's final fields.
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)


def instance_spec(settings: Settings, name: str) -> InstanceSpec:
    if name == "main":
        return InstanceSpec(
            "main", settings.embedded_bolt_port, settings.embedded_heap, settings.embedded_pagecache
        )
    if name == "test":
        return InstanceSpec("test", settings.embedded_bolt_port + 1, "1g", "512m")
    if name == "bench":
        return InstanceSpec(
            "bench",
            settings.embedded_bolt_port + 2,
            settings.embedded_heap,
            settings.embedded_pagecache,
        )
    raise EmbeddedError(f"unknown instance {name!r} (main, test or bench)")


class EmbeddedNeo4j:
    def __init__(self, settings: Settings, instance: str = "main") -> None:
        self.settings = settings
        self.spec = instance_spec(settings, instance)
        self.home = settings.neo4j_home
        self.lib = self.home / "lib"
        self.instance_home = self.home / "instances" / self.spec.name
        self.run_dir = self.instance_home / "run"

    # -- install ---------------------------------------------------------------------------
    @property
    def installed(self) -> bool:
        marker = self.lib / "VERSION"
        return marker.exists() and marker.read_text().strip() == install_marker()

    def install(self) -> str:
        """Fetch Neo4j with Maven and build the launcher; a no-op when already installed."""
        if self.installed:
            self._ensure_password()
            return f"Neo4j {NEO4J_VERSION} already installed in {self.lib}"
        mvn = shutil.which("mvn")
        java = shutil.which("java")
        if mvn is None or java is None:
            raise EmbeddedError("mvn and java (17) must be on PATH to install the embedded Neo4j")
        cmd = [mvn, "-B", "-q", "-f", str(LAUNCHER_DIR / "pom.xml"), "package"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
            raise EmbeddedError(f"mvn package failed ({done.returncode}):\n{tail}")
        target = LAUNCHER_DIR / "target"
        if self.lib.exists():
            shutil.rmtree(self.lib)
        self.lib.mkdir(parents=True)
        for jar in (target / "lib").glob("*.jar"):
            shutil.copy2(jar, self.lib / jar.name)
        shutil.copy2(target / "neo4j-launcher-1.0.0.jar", self.lib / "neo4j-launcher.jar")
        (self.lib / "VERSION").write_text(install_marker() + "\n")
        self._ensure_password()
        count = len(list(self.lib.glob("*.jar")))
        return f"installed Neo4j {NEO4J_VERSION} ({count} jars) in {self.lib}"

    def _ensure_password(self) -> str:
        path = self.home / "password"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(18) + "\n")
            path.chmod(0o600)
        return path.read_text().strip()

    @property
    def password(self) -> str:
        return self._ensure_password()

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.spec.port}"

    # -- run -------------------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        """The running instance's process id, or None."""
        return self._pid()

    def _pid(self) -> int | None:
        try:
            pid = int((self.run_dir / "pid").read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        return None if _zombie(pid) else pid

    def _bolt_open(self) -> bool:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", self.spec.port), timeout=1),
        ):
            return True
        return False

    def _write_conf(self) -> Path:
        conf = self.instance_home / "neo4j.conf"
        lines = [
            "# written by credit-hub db start; edits are overwritten",
            "server.bolt.enabled=true",
            f"server.bolt.listen_address=127.0.0.1:{self.spec.port}",
            "server.http.enabled=false",
            "dbms.security.auth_enabled=true",
            f"server.memory.pagecache.size={self.spec.pagecache}",
            # A safety net: the hub sets shorter per-transaction timeouts itself.
            "db.transaction.timeout=30m",
            "db.lock.acquisition.timeout=60s",
            # Keep-alive NOOPs only while a result streams. With ALL (the default) the server
            # also hints connection.recv_timeout_seconds, and the Python driver then wraps every
            # socket read in asyncio.wait_for (a task and a timer per read, about 36 per group
            # of checks; docs/operations.md). The hub keeps its own deadline per store call
            # (hub/store/adapter.py); on loopback a dead server closes the socket.
            "server.bolt.connection_keep_alive_for_requests=STREAMING",
        ]
        conf.write_text("\n".join(lines) + "\n")
        return conf

    def status(self) -> str:
        pid = self._pid()
        if pid is None:
            return f"{self.spec.name}: stopped (bolt port {self.spec.port})"
        ready = (self.run_dir / "ready").exists() and self._bolt_open()
        state = "running" if ready else "starting"
        return f"{self.spec.name}: {state}, pid {pid}, {self.uri}"

    @property
    def running(self) -> bool:
        return self._pid() is not None and (self.run_dir / "ready").exists() and self._bolt_open()

    def start(self) -> str:
        if not self.installed:
            raise EmbeddedError("Neo4j is not installed: run `credit-hub db install` first")
        if self.running:
            return f"already running: {self.status()}"
        if self._pid() is None and self._bolt_open():
            raise EmbeddedError(f"port {self.spec.port} is taken by another process")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.run_dir / "ready").unlink(missing_ok=True)
        conf = self._write_conf()
        java = shutil.which("java")
        if java is None:
            raise EmbeddedError("java (17) must be on PATH")
        cmd = [
            java,
            f"-Xms{self.spec.heap}",
            f"-Xmx{self.spec.heap}",
            *JVM_OPTIONS,
            "-Dfile.encoding=UTF-8",
            "-cp",
            str(self.lib / "*"),
            MAIN_CLASS,
            str(self.instance_home),
            str(conf),
        ]
        env = dict(os.environ, NEO4J_INITIAL_PASSWORD=self.password)
        log = str(self.instance_home / "console.log")
        # posix_spawn rather than Popen: the JVM outlives this process (its own session), and
        # no Popen object is left to warn about a child still running.
        pid = os.posix_spawn(
            java,
            cmd,
            env,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_OPEN, 1, log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644),
                (os.POSIX_SPAWN_DUP2, 1, 2),
            ],
            setsid=True,
        )
        (self.run_dir / "pid").write_text(str(pid))
        deadline = time.monotonic() + self.settings.embedded_start_timeout
        while time.monotonic() < deadline:
            exited, status = _reap(pid)
            if exited:
                code = os.waitstatus_to_exitcode(status)
                raise EmbeddedError(f"Neo4j exited with {code}:\n{self._log_tail()}")
            if (self.run_dir / "ready").exists() and self._bolt_open():
                return f"started: {self.status()}"
            time.sleep(0.5)
        raise EmbeddedError(f"Neo4j did not answer on Bolt in time:\n{self._log_tail()}")

    def erase(self) -> None:
        """Delete the instance's databases (stopped first); the next start creates them empty.
        Much faster than deleting a large graph node by node (the benches' wipe)."""
        self.stop()
        for part in ("databases", "transactions"):
            shutil.rmtree(self.instance_home / "data" / part, ignore_errors=True)

    def stop(self, timeout: float = 120.0) -> str:
        pid = self._pid()
        if pid is None:
            return f"{self.spec.name}: not running"
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _reap(pid)
            if self._pid() is None:
                break
            time.sleep(0.3)
        else:
            os.kill(pid, signal.SIGKILL)
        (self.run_dir / "pid").unlink(missing_ok=True)
        (self.run_dir / "ready").unlink(missing_ok=True)
        return f"{self.spec.name}: stopped"

    def _log_tail(self, lines: int = 40) -> str:
        parts = []
        for log in (self.instance_home / "console.log", self.instance_home / "logs" / "debug.log"):
            if log.exists():
                parts.extend(log.read_text(errors="replace").splitlines()[-lines:])
        return "\n".join(parts)


@dataclass(frozen=True)
class Connection:
    uri: str
    user: str
    password: str


def connection(settings: Settings, instance: str = "main") -> Connection:
    """Where the hub connects: NEO4J_URI when set, else the embedded instance."""
    if settings.neo4j_uri is not None:
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        return Connection(settings.neo4j_uri, settings.neo4j_user, password)
    local = EmbeddedNeo4j(settings, instance)
    return Connection(local.uri, "neo4j", local.password)
