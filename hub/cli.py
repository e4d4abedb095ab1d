"""The `credit-hub` command.

The subcommands import what they need when they run (not for a cycle): `credit-hub db start`
and `keys` stay quick without loading the GraphQL schema, the importer or uvicorn.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import orjson

from hub.auth import SYSTEM, Role
from hub.errors import HubError, StoreUnavailable
from hub.neo4j_local import EmbeddedError, EmbeddedNeo4j, connection
from hub.settings import PROJECT_ROOT, Settings, load_settings
from hub.slow_clients import header_deadline_protocol
from hub.store import Store, open_driver
from hub.store.adapter import verify

T = TypeVar("T")


@asynccontextmanager
async def opened_store(settings: Settings, instance: str = "main") -> AsyncIterator[Store]:
    driver = open_driver(settings, instance)
    try:
        await verify(driver)
        yield Store(driver, settings)
    finally:
        await driver.close()


def _run(settings: Settings, work: Callable[[Store], Awaitable[T]], instance: str = "main") -> T:
    async def main() -> T:
        async with opened_store(settings, instance) as store:
            return await work(store)

    return asyncio.run(main())


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    local = EmbeddedNeo4j(settings, args.instance)
    if settings.neo4j_uri is not None and args.action != "status":
        print(f"NEO4J_URI is set ({settings.neo4j_uri}): the embedded Neo4j is not used")
        return 0
    action: dict[str, Callable[[], str]] = {
        "install": local.install,
        "start": local.start,
        "stop": local.stop,
        "status": local.status,
    }
    try:
        print(action[args.action]())
    except EmbeddedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from hub.migrate import migrate

    reports = _run(settings, migrate, args.instance)
    for report in reports:
        print(
            f"{report.batch}: accepted {report.accepted}, created {report.created}, "
            f"updated {report.updated}, unchanged {report.unchanged}"
        )
    print("migrated")
    return 0


def _print_report(report: dict[str, object]) -> None:
    sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from hub.importer.shuanggongshi.sources import SNIFF_BYTES, Format, detect
    from hub.importer.uploads import import_upload
    from hub.progress_display import terminal_progress

    if args.initial:
        from hub.bulk_load.command import import_initial

        code, reports = import_initial(args, settings)
        for done in reports:
            _print_report(done.as_dict())
        return code
    code = 0
    for name in args.file:
        path = Path(name)
        data = path.read_bytes()
        # the lines of JSON Lines are known ahead; a table's rows (docs/shuanggongshi.md) not
        lines = (
            data.count(b"\n")
            if detect(data[:SNIFF_BYTES], path.name, args.format) == Format.JSONL
            else None
        )

        async def work(
            store: Store, data: bytes = data, path: Path = path, lines: int | None = lines
        ) -> dict[str, object]:
            with terminal_progress(lines) as progress:
                report = await import_upload(
                    store,
                    settings,
                    data,
                    actor=SYSTEM,
                    department=args.department,
                    source=path.name,
                    declared=args.format,
                    progress=progress,
                )
            return report.as_dict()

        report = _run(settings, work, args.instance)
        _print_report(report)
        code = code or (0 if report["committed"] else 1)
    return code


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    from hub.bulk_load.command import seed_initial
    from hub.demo import seed_demo
    from hub.progress_display import terminal_progress

    initial = seed_initial(args, settings)
    if initial is not None:
        _print_report(initial)
        return 0

    async def work(store: Store) -> dict[str, object]:
        with terminal_progress() as progress:
            return await seed_demo(
                store, settings, enterprises=args.enterprises, seed=args.seed, progress=progress
            )

    summary = _run(settings, work, args.instance)
    _print_report(summary)
    return 0


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options for `serve`.

    Keep-alive: uvicorn closes an idle connection after 5 s by default, as long as httpx keeps
    one in its pool; a request sent on a connection the server is closing fails with a reset
    (two of 14,000 in a soak). The server's wait must be the longer one.
    """
    return {
        "host": settings.host,
        "port": settings.port,
        "workers": settings.worker_count,
        "log_level": "info",
        "access_log": False,  # the hub writes its own (credithub.access, hub/app.py)
        "proxy_headers": False,
        "timeout_keep_alive": settings.keep_alive_seconds,
        # Slow clients (hub/slow_clients.py): headers within a deadline, a bounded number of
        # connections and requests in flight (more get 503 at once).
        "http": header_deadline_protocol(settings.header_timeout_seconds),
        "limit_concurrency": settings.max_connections,
    }


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    if args.instance != "main":
        print("serve runs against the main instance (or NEO4J_URI)", file=sys.stderr)
        return 2
    if args.workers is not None:
        if not 0 <= args.workers <= 64:
            print("--workers must be 0 (one per core) to 64", file=sys.stderr)
            return 2
        settings = settings.model_copy(update={"workers": args.workers})
        os.environ["CREDITHUB_WORKERS"] = str(args.workers)  # the workers read the settings
    options = server_options(settings)
    if options["workers"] == 1:
        uvicorn.run("hub.asgi:app", **options)
        return 0
    # Several workers: /readyz says ready once every one of them is warm (hub/worker_readiness.py).
    with tempfile.TemporaryDirectory(prefix="credithub-ready-") as ready_dir:
        os.environ["CREDITHUB_READY_DIR"] = ready_dir
        os.environ["CREDITHUB_WORKERS"] = str(options["workers"])
        uvicorn.run("hub.asgi:app", **options)
    return 0


def unreachable(settings: Settings, instance: str) -> int:
    """Neo4j not running: one line on stderr naming where it was looked for, exit status 2."""
    where = connection(settings, instance).uri
    start = "" if settings.neo4j_uri else f" (start it: credit-hub --instance {instance} db start)"
    print(f"error: Neo4j is not reachable at {where}{start}", file=sys.stderr)
    return 2


def cmd_keys(args: argparse.Namespace, settings: Settings) -> int:
    """Create or revoke a key; a refusal (an unknown department or key) or Neo4j not running
    is one line on stderr and exit status 2, never a traceback."""
    from hub.keys import KeyCache, create_key, revoke_key

    def refused(error: HubError) -> int:
        if isinstance(error, StoreUnavailable):
            return unreachable(settings, args.instance)
        print(f"error: {error.message}", file=sys.stderr)
        return 2

    if args.keys_action == "revoke":

        async def revoke(store: Store) -> str:
            return await revoke_key(store, args.id)

        try:
            revoked_at = _run(settings, revoke, args.instance)
        except HubError as error:
            return refused(error)
        ttl = KeyCache.ttl
        print(f"key {args.id} revoked at {revoked_at} (refused within {ttl:.0f} s by running hubs)")
        return 0
    role = Role(args.role)

    async def work(store: Store) -> tuple[str, str]:
        return await create_key(store, role, args.department, args.name)

    try:
        key_id, token = _run(settings, work, args.instance)
    except HubError as error:
        return refused(error)
    print(f"key id: {key_id}\nrole: {role.value}\ndepartment: {args.department or '-'}")
    print(f"token (shown once, store it now): {token}")
    return 0


def cmd_export_schema(args: argparse.Namespace, settings: Settings) -> int:
    from graphql_engine.export import export_sdl

    path = export_sdl(Path(args.out) if args.out else None)
    print(f"wrote {path}")
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    """The benchmarks live beside the product in the checkout's bench/, not in the package."""
    if not (PROJECT_ROOT / "bench" / "registry.py").is_file():
        print("credit-hub bench runs from a checkout of the project (bench/)", file=sys.stderr)
        return 2
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    registry = importlib.import_module("bench.registry")
    code: int = registry.run(args, settings)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="credit-hub", description=__doc__)
    parser.add_argument(
        "--instance",
        default="main",
        choices=["main", "test", "bench"],
        help="embedded Neo4j instance to use when NEO4J_URI is not set",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _store_commands(sub)
    _serve_commands(sub)
    _bench_command(sub)
    return parser


# The subcommands of the parser (argparse names its type only privately).
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _store_commands(sub: Commands) -> None:
    """db, migrate, import and seed: the embedded Neo4j and what is loaded into it."""
    db = sub.add_parser("db", help="the embedded Neo4j: install, start, stop, status")
    db.add_argument("action", choices=["install", "start", "stop", "status"])
    db.set_defaults(func=cmd_db)

    sub.add_parser("migrate", help="constraints, indexes, reference data").set_defaults(
        func=cmd_migrate
    )

    imp = sub.add_parser(
        "import", help="import JSON Lines files (exchange format) or 双公示 CSV / XLSX tables"
    )
    imp.add_argument("file", nargs="+", help="one or more files, imported in order")
    imp.add_argument(
        "--initial",
        action="store_true",
        help="first load of an EMPTY embedded store with Neo4j's import tool (stops and "
        "starts the instance; docs/operations.md)",
    )
    imp.add_argument("--csv-dir", default=None, help="--initial: keep the import tool's CSV here")
    imp.add_argument(
        "--format", choices=["jsonl", "csv", "xlsx"], help="default: from the content and name"
    )
    imp.add_argument("--department", required=True, help="uploading department code")
    imp.set_defaults(func=cmd_import)

    seed = sub.add_parser("seed", help="generate and import a demo county graph")
    seed.add_argument("--enterprises", type=int, default=1000)
    seed.add_argument("--seed", type=int, default=1)
    seed.set_defaults(func=cmd_seed)


def _serve_commands(sub: Commands) -> None:
    """serve, keys and export-schema: the HTTP server, its callers' keys and its SDL."""
    serve = sub.add_parser("serve", help="run the HTTP server (GraphQL at /graphql)")
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes (default CREDITHUB_WORKERS; 0 = one per core)",
    )
    serve.set_defaults(func=cmd_serve)

    keys = sub.add_parser("keys", help="API keys")
    keys_sub = keys.add_subparsers(dest="keys_action", required=True)
    create = keys_sub.add_parser("create", help="create a key; prints the token once")
    create.add_argument(
        "--role", required=True, choices=[r.value for r in Role if r != Role.PUBLIC]
    )
    create.add_argument("--department", default=None)
    create.add_argument("--name", default=None, help="who holds the key (a system or a person)")
    create.set_defaults(func=cmd_keys)
    revoke = keys_sub.add_parser("revoke", help="revoke a key by its id (it is kept, marked)")
    revoke.add_argument("id", help="the key id printed by `keys create`")
    revoke.set_defaults(func=cmd_keys)

    export = sub.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("--out", default=None)
    export.set_defaults(func=cmd_export_schema)


BENCHES = (
    "import",
    "import-initial",
    "import-floor",
    "propagation",
    "check",
    "investigate",
    "soak",
    "search",
    "documents",
    "site",
    "shuanggongshi",
    "explorer",
    "events",
    "event-nodes",
    "sampling",
)


def _bench_command(sub: Commands) -> None:
    """bench: the benchmarks of a checkout's bench/ (docs/benchmarks.md)."""
    bench = sub.add_parser("bench", help="benchmarks (docs/benchmarks.md)")
    bench.add_argument("what", choices=list(BENCHES))
    bench.add_argument("--enterprises", type=int, default=100_000)
    bench.add_argument("--seed", type=int, default=7)
    bench.add_argument("--requests", type=int, default=2000)
    bench.add_argument("--duration", type=float, default=600.0)
    bench.add_argument("--reuse", action="store_true", help="reuse the graph already loaded")
    bench.add_argument(
        "--wide", type=int, default=5, help="propagation: synthetic 2000-member cooperatives"
    )
    bench.add_argument("--rows", type=int, default=100_000, help="shuanggongshi: table rows")
    bench.add_argument("--rounds", type=int, default=2, help="shuanggongshi: interleaved rounds")
    bench.add_argument(
        "--warmup", type=float, default=None, help="events: seconds of uncounted rounds first"
    )
    bench.add_argument(
        "--rounds-explorer", type=int, default=15, help="explorer: page and API runs per size"
    )
    bench.set_defaults(func=cmd_bench)


def main(argv: list[str] | None = None) -> int:
    from hub.logs import configure_logging

    args = build_parser().parse_args(argv)
    settings = load_settings()
    configure_logging(settings.log_level)
    try:
        code: int = args.func(args, settings)
    except StoreUnavailable:  # any command that needs the database, when it is not running
        return unreachable(settings, getattr(args, "instance", "main"))
    return code


if __name__ == "__main__":
    raise SystemExit(main())
