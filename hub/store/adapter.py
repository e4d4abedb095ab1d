"""Store: sessions, transactions, timeouts and error translation over one AsyncDriver."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Concatenate, LiteralString, ParamSpec, TypeVar, cast

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, exceptions

from hub.clock import Clock
from hub.errors import Conflict, HubError, StoreTimeout, StoreUnavailable
from hub.neo4j_local import connection
from hub.rules.warnings import Policy
from hub.settings import Settings
from hub.store.events import PENDING_CREATE, Noted, seal
from hub.store.values import plain
from hub.store.warnings import PENALTY_PENDING, warn

log = logging.getLogger("credithub.store")
P = ParamSpec("P")
T = TypeVar("T")
Work = Callable[Concatenate[AsyncManagedTransaction, P], Awaitable[T]]
Statements = Callable[Concatenate["AutoCommit", P], Awaitable[T]]
RETRY_TIME = 5.0  # seconds, as the driver's max_transaction_retry_time below
CLIENT_GRACE = 5.0  # seconds a unit may run past its server-side timeout before the hub gives up


def open_driver(settings: Settings, instance: str = "main") -> AsyncDriver:
    conn = connection(settings, instance)
    return AsyncGraphDatabase.driver(
        conn.uri,
        auth=(conn.user, conn.password),
        max_connection_pool_size=settings.neo4j_pool_size,
        connection_acquisition_timeout=settings.neo4j_acquire_timeout,
        connection_timeout=5.0,
        max_transaction_retry_time=RETRY_TIME,
        notifications_min_severity="OFF",
    )


async def verify(driver: AsyncDriver) -> None:
    """The driver's connectivity check, its errors translated (StoreUnavailable when Neo4j is
    not running or not reachable)."""
    try:
        await driver.verify_connectivity()
    except (exceptions.Neo4jError, exceptions.DriverError) as error:
        raise translate(error) from error


def translate(error: Exception) -> HubError:
    """Driver error -> HubError, by class and Neo4j status code (never by message text)."""
    code = getattr(error, "code", None) or ""
    if isinstance(error, exceptions.ServiceUnavailable | exceptions.SessionExpired) or (
        isinstance(error, exceptions.DriverError) and not isinstance(error, exceptions.Neo4jError)
    ):
        return StoreUnavailable("the graph database is not reachable; try again")
    if code.startswith("Neo.ClientError.Transaction.TransactionTimedOut") or code in {
        "Neo.TransientError.Transaction.LockClientStopped",
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
    }:
        return StoreTimeout("the operation took too long and was cancelled")
    if code == "Neo.ClientError.Schema.ConstraintValidationFailed":
        return Conflict("the change conflicts with stored data (a unique key exists)")
    if code.startswith("Neo.TransientError"):
        return StoreUnavailable("the graph database is busy; try again")
    # The code only: driver messages can quote values (an ID number in a constraint error).
    log.error("store error %s (%s)", code or "-", type(error).__name__)
    return HubError("internal store error", code="INTERNAL")


class Store:
    """Read and write units of work with a timeout, on one database, causally chained."""

    def __init__(self, driver: AsyncDriver, settings: Settings) -> None:
        self.driver = driver
        self.database = settings.neo4j_database
        self.timeout = settings.tx_timeout
        self.import_timeout = settings.import_tx_timeout
        self.check_transactions = settings.check_transactions
        # Credit-risk early warning, run in every write that changed a listing, an evaluation
        # or added a penalty (hub/store/warnings.py); the clock gives its "today".
        self.warning_policy = Policy(settings.warning_penalties, settings.warning_related_cap)
        self.clock: Clock = settings.clock
        self.bookmarks = AsyncGraphDatabase.bookmark_manager()
        # Reference data read often and changed rarely (the measure catalogue): name ->
        # (monotonic time read, value). Readers decide how long an entry stays fresh.
        self.reference_cache: dict[str, tuple[float, Any]] = {}

    async def read(self, work: Work[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._run(neo4j.READ_ACCESS, self.timeout, work, *args, **kwargs)

    async def write(self, work: Work[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._run(neo4j.WRITE_ACCESS, self.timeout, work, *args, **kwargs)

    async def write_long(self, work: Work[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """A write with the import timeout (one upload is one transaction)."""
        return await self._run(neo4j.WRITE_ACCESS, self.import_timeout, work, *args, **kwargs)

    async def _run(
        self, mode: str, tx_timeout: float, work: Work[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        return await _shielded(self._session(mode, tx_timeout, work, *args, **kwargs))

    def session(self, mode: str) -> neo4j.AsyncSession:
        """A session on the hub's database, in the causal chain of every other."""
        return self.driver.session(
            database=self.database, default_access_mode=mode, bookmark_manager=self.bookmarks
        )

    async def _session(
        self, mode: str, tx_timeout: float, work: Work[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        unit = work if mode == neo4j.READ_ACCESS else _sealed(work, self.warning_policy, self.clock)
        timed = neo4j.unit_of_work(timeout=tx_timeout)(unit)
        try:
            # The server ends the transaction at tx_timeout; this ends the wait if the server
            # cannot answer at all (the embedded Neo4j sends no receive-timeout hint, so the
            # driver's reads have no deadline of their own; hub/neo4j_local.py).
            async with asyncio.timeout(tx_timeout + RETRY_TIME + CLIENT_GRACE):
                async with self.session(mode) as session:
                    if mode == neo4j.READ_ACCESS:
                        return await session.execute_read(timed, *args, **kwargs)
                    return await session.execute_write(timed, *args, **kwargs)
        except TimeoutError as error:
            raise StoreTimeout("the operation took too long and was cancelled") from error
        except HubError:
            raise
        except (exceptions.Neo4jError, exceptions.DriverError) as error:
            raise translate(error) from error

    async def statements(self, work: Statements[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Statements that each commit on their own (auto-commit), for hot paths that need no
        atomicity across them (a check: the gather, then its receipts).

        One round trip per statement (RUN and PULL), where a managed transaction adds a BEGIN
        and a COMMIT round trip and the driver's retry bookkeeping; measured in
        docs/benchmarks.md#check-before-approval. Retryable failures re-run ``work`` from the
        start for up to ``RETRY_TIME`` seconds after the first one, like the driver's retries
        of managed transactions but with shorter waits (50 ms, doubling, with jitter): ``work``
        must be safe to run again (the check's receipts keep their ids and are MERGEd).
        """
        return await _shielded(self._statements(neo4j.WRITE_ACCESS, work, *args, **kwargs))

    async def read_statements(self, work: Statements[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``statements`` on a read session: for reads that need no snapshot shared between
        statements (one statement each: the DataLoaders, search). In a cluster they go to the
        readers, as ``read`` does."""
        return await _shielded(self._statements(neo4j.READ_ACCESS, work, *args, **kwargs))

    async def _statements(
        self, mode: str, work: Statements[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        deadline: float | None = None  # RETRY_TIME from the first failure, as the driver counts
        delay = 0.05
        while True:
            try:
                async with asyncio.timeout(self.timeout + CLIENT_GRACE):  # see _session
                    async with self.session(mode) as session:
                        return await work(AutoCommit(session, self.timeout), *args, **kwargs)
            except TimeoutError as error:
                raise StoreTimeout("the operation took too long and was cancelled") from error
            except HubError:
                raise
            except (exceptions.Neo4jError, exceptions.DriverError) as error:
                now = time.monotonic()
                deadline = deadline if deadline is not None else now + RETRY_TIME
                if not error.is_retryable() or now + delay > deadline:
                    raise translate(error) from error
                log.warning("retrying statements after %s", type(error).__name__)
            # Jitter, so that units failing together do not retry in step.
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))  # noqa: S311
            delay *= 2

    async def ping(self) -> bool:
        try:
            await self.driver.verify_connectivity()
        except (exceptions.Neo4jError, exceptions.DriverError, OSError):
            return False
        return True


class _Watched:
    """A write transaction that keeps the events its statements made (``noted``: returned maps
    and ``emit``, hub/store/events.py ``note``), notes whether a statement could write pending
    event nodes (every statement that can holds ``PENDING_CREATE``: the fragments of
    hub/store/events.py) or marked a new penalty (the label ``PenaltyPending``,
    hub/store/warnings.py)."""

    def __init__(self, tx: AsyncManagedTransaction) -> None:
        self.tx = tx
        self.noted = Noted(tx)
        self.emitted = False
        self.penalised = False

    async def run(self, query: Any, parameters: Any = None, **kwargs: Any) -> Any:
        text = str(getattr(query, "text", query))
        if PENDING_CREATE in text:
            self.emitted = self.noted.nodes = True
        self.penalised = self.penalised or PENALTY_PENDING in text
        return await self.tx.run(query, parameters, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tx, name)


def _sealed(work: Work[P, T], policy: Policy, clock: Clock) -> Work[P, T]:
    """``work``, then the early warnings its changes call for (hub/store/warnings.py), then the
    numbering of the events it made, in its transaction: the last statement of a write
    transaction that made events (hub/store/events.py), so the event counter's lock is held
    only from there to the commit. A transaction that made no event and ran no statement able
    to write one or mark a penalty (a session's last use, an audit entry) skips both round
    trips."""

    async def unit(tx: AsyncManagedTransaction, /, *args: P.args, **kwargs: P.kwargs) -> T:
        watched = _Watched(tx)
        result = await work(cast(AsyncManagedTransaction, watched), *args, **kwargs)
        noted = watched.noted
        if watched.emitted or noted.events or watched.penalised:
            now = clock.now()
            await warn(cast(AsyncManagedTransaction, watched), policy, clock.day_of(now), now)
        if watched.emitted or noted.events:
            await seal(tx, noted)
        return result

    return unit


class AutoCommit:
    """Runs each statement as its own auto-commit transaction, with the store's timeout."""

    def __init__(self, session: neo4j.AsyncSession, timeout: float) -> None:
        self._session = session
        self._timeout = timeout

    async def run(
        self, query: LiteralString, parameters: dict[str, Any] | None = None
    ) -> neo4j.AsyncResult:
        return await self._session.run(neo4j.Query(query, timeout=self._timeout), parameters)


# What a unit of work runs its statements on: a transaction, or auto-commit statements.
Runner = AsyncManagedTransaction | neo4j.AsyncTransaction | AutoCommit


async def _shielded(work: Coroutine[Any, Any, T]) -> T:
    """Runs ``work`` in its own task: a caller cancelled mid-read (a sibling field failed, the
    client left) does not abort the driver half-way through a message, which would poison the
    connection; the work finishes (bounded by its timeout) and its result is dropped."""
    task = asyncio.ensure_future(work)
    task.add_done_callback(_consume)
    return await asyncio.shield(task)


def _consume(task: asyncio.Future[Any]) -> None:
    """Retrieve a shielded task's exception when nobody awaits it any more."""
    if not task.cancelled():
        task.exception()


async def rows(tx: Runner, query: LiteralString, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every record of a statement that returns projected values, as plain dicts with native
    dates (``values.plain``: not ``Record.data()``, which walks every value again)."""
    result = await tx.run(query, params)
    return [plain(record) for record in await result.fetch(1_000_000)]
