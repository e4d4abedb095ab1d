"""All settings of the hub: environment variables with the prefix ``CREDITHUB_``.

``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE`` are also accepted
without the prefix, as DESIGN.md names them. The table in docs/settings.md mirrors this file;
``tests/test_settings.py`` fails when they drift apart.
"""

from __future__ import annotations

import datetime as dt
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from hub.clock import COUNTY_TIMEZONE, Clock

PREFIX = "CREDITHUB_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=PREFIX, extra="ignore", frozen=True, populate_by_name=True
    )

    # Deployment kind: "production" turns off GraphiQL and introspection.
    environment: Environment = Environment.DEVELOPMENT

    # Level of the hub's own log lines (the access log is written at every level).
    log_level: LogLevel = "WARNING"

    # Bolt URI of an external Neo4j 5 (bolt:// or neo4j:// for a cluster). Unset: embedded default.
    neo4j_uri: str | None = Field(
        default=None, validation_alias=AliasChoices("CREDITHUB_NEO4J_URI", "NEO4J_URI")
    )
    # User name for NEO4J_URI.
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("CREDITHUB_NEO4J_USER", "NEO4J_USER")
    )
    # Password for NEO4J_URI (for the embedded default it is generated at install).
    neo4j_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("CREDITHUB_NEO4J_PASSWORD", "NEO4J_PASSWORD"),
    )
    # Database name on the Neo4j server.
    neo4j_database: str = Field(
        default="neo4j",
        validation_alias=AliasChoices("CREDITHUB_NEO4J_DATABASE", "NEO4J_DATABASE"),
    )
    # Driver connection pool size per hub process.
    neo4j_pool_size: int = Field(default=64, ge=1, le=1000)
    # Seconds to wait for a connection from the pool before failing the request.
    neo4j_acquire_timeout: float = Field(default=10.0, gt=0)
    # Server-side timeout of every hub transaction, seconds (reads and single writes).
    tx_timeout: float = Field(default=15.0, gt=0)
    # Check units (gather, then receipts) one hub process runs at once; single checks asked
    # meanwhile wait and share the next one (group commit: each is answered after its receipt
    # is committed).
    check_transactions: int = Field(default=2, ge=1, le=64)
    # Seconds the hub spends at start warming Neo4j up on the check's statements (nothing is
    # stored) before /readyz answers ready; 0 = no warm-up (hub/store/warmup.py).
    warmup_seconds: float = Field(default=10.0, ge=0, le=600)
    # Timeout of one import transaction (a commit unit), seconds.
    import_tx_timeout: float = Field(default=600.0, gt=0)

    # Directory of the embedded Neo4j (installation, data, logs).
    neo4j_home: Path = PROJECT_ROOT / ".neo4j"
    # Bolt port of the embedded instance "main" ("test" uses this port + 1, "bench" + 2).
    embedded_bolt_port: int = Field(default=7687, ge=1024, le=65535)
    # JVM heap of the embedded Neo4j.
    embedded_heap: str = "4g"
    # Page cache of the embedded Neo4j.
    embedded_pagecache: str = "6g"
    # Seconds to wait for the embedded Neo4j to answer on Bolt after start.
    embedded_start_timeout: float = Field(default=180.0, gt=0)

    # Address the HTTP server binds to.
    host: str = "127.0.0.1"
    # Port the HTTP server listens on.
    port: int = Field(default=8000, ge=1, le=65535)
    # Number of uvicorn worker processes; 0 = one per core.
    workers: int = Field(default=0, ge=0, le=64)
    # Set by `credit-hub serve` for its workers: a directory where each worker marks itself
    # warm; /readyz says ready only when every worker has. Unset: this process alone decides.
    ready_dir: str | None = None
    # Seconds an idle keep-alive connection stays open (longer than client and proxy pools).
    keep_alive_seconds: float = Field(default=75.0, gt=0, le=3600)
    # Seconds a client has to send a request's headers, from its first byte (or from the
    # connection); then the server closes the connection (slow-header clients).
    header_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
    # Seconds a client has to send a request's whole body; then 408 and the connection closes.
    body_timeout_seconds: float = Field(default=60.0, gt=0, le=3600)
    # Most connections and requests in flight per worker; more are answered 503 at once.
    max_connections: int = Field(default=1000, ge=1, le=100_000)

    # IANA time zone of "today" (asOf defaults, deadlines).
    timezone: str = COUNTY_TIMEZONE
    # Extra public holidays (ISO dates, comma-separated) for years the calendar does not know.
    extra_holidays: Annotated[tuple[dt.date, ...], NoDecode] = ()
    # Extra adjusted working days (调休 weekends), ISO dates, comma-separated.
    extra_workdays: Annotated[tuple[dt.date, ...], NoDecode] = ()

    # Lines per UNWIND statement when importing.
    import_chunk_size: int = Field(default=5000, ge=1, le=100_000)
    # Lines per import transaction (an upload of up to this many lines is atomic as a whole;
    # the BRANCH_OF link an enterprise line implies is not counted).
    import_commit_records: int = Field(default=50_000, ge=100, le=1_000_000)
    # Import transactions of one upload that may run side by side (independent units only).
    import_parallel_units: int = Field(default=2, ge=1, le=16)
    # Largest accepted body of an upload (POST /api/import; the workbench's desk and batch).
    max_import_bytes: int = Field(default=50_000_000, ge=1024)
    # Longest accepted line of an upload, bytes.
    max_line_bytes: int = Field(default=65_536, ge=256)

    # Largest accepted body of any other request (GraphQL, the site's and workbench's forms).
    max_request_bytes: int = Field(default=1_000_000, ge=1024)
    # Deepest accepted GraphQL query.
    max_query_depth: int = Field(default=12, ge=2)
    # Most aliases in one GraphQL document.
    max_aliases: int = Field(default=30, ge=1)
    # Most tokens in one GraphQL document.
    max_tokens: int = Field(default=2000, ge=10)
    # Most tokens in one GraphQL document from an anonymous (PUBLIC) caller: the site's own
    # documents use under 150; parsing 2,000 tokens takes ~7 ms on two cores.
    max_public_tokens: int = Field(default=600, ge=10)
    # Most selections one GraphQL document may expand to through its fragments (each spread
    # counted at each use; a few spreads of nested fragments can stand for millions).
    max_selections: int = Field(default=10_000, ge=10)
    # Largest accepted estimated cost of one GraphQL operation.
    max_query_cost: int = Field(default=500_000, ge=1)
    # Requests per second per API key (per client address for PUBLIC) and process; 0 = off.
    rate_limit_per_second: float = Field(default=100.0, ge=0)
    # Burst size of the per-key rate limit.
    rate_limit_burst: int = Field(default=200, ge=1)
    # Lookups by full ID number (person(idNumber), a search whose text is an ID number) a PUBLIC
    # client address may make per minute and process, hits and misses alike; 0 = no budget. A
    # masked number leaves ~38,000 candidates: 20 a minute makes trying them all take ~32 hours
    # per address instead of ~13 seconds at the request rate limit, and a person on the public
    # site looks up a few numbers a minute at most.
    public_id_lookups_per_minute: int = Field(default=20, ge=0, le=10_000)
    # Credit reports (issueCreditReport) an anonymous client address may request per minute
    # and process; each is stored and costs a PDF (~0.3 s of CPU). 0 = no limit.
    public_reports_per_minute: int = Field(default=2, ge=0, le=10_000)

    # Credit-risk early warning (docs/feeds.md): administrative penalties decided within the
    # last year that flag a subject when a new one arrives (the new one counted).
    warning_penalties: int = Field(default=3, ge=1, le=1000)
    # Most ties (paths) one new listing's related-party lookup reads, two steps at most; a
    # listing reaching more warns the first ones found and says so (truncated).
    warning_related_cap: int = Field(default=200, ge=1, le=10_000)

    # Seconds a workbench session (/workbench/) may stay unused before it ends; the next
    # request after that is sent to the login page (the session is stored in Neo4j, so every
    # worker process agrees).
    workbench_idle_seconds: float = Field(default=1800.0, gt=0, le=86_400)

    @field_validator("extra_holidays", "extra_workdays", mode="before")
    @classmethod
    def _split_dates(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(dt.date.fromisoformat(v.strip()) for v in value.split(",") if v.strip())
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ValueError, KeyError, OSError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def worker_count(self) -> int:
        """CREDITHUB_WORKERS, with 0 read as the number of cores."""
        return self.workers or os.cpu_count() or 1

    @property
    def embedded(self) -> bool:
        return self.neo4j_uri is None

    @property
    def clock(self) -> Clock:
        """The hub's clock (its time zone's "today"); not cached: a copy of the settings with
        another time zone gets its own."""
        return Clock(ZoneInfo(self.timezone))

    def today(self) -> dt.date:
        return self.clock.today()

    @property
    def production(self) -> bool:
        return self.environment == Environment.PRODUCTION


def load_settings(**overrides: object) -> Settings:
    """Read and validate settings from the environment; overrides win."""
    return Settings(**overrides)  # type: ignore[arg-type]
