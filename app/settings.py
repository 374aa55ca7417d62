"""Settings, one class per concern, read from the environment."""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app import local_cluster


def _default_database_url() -> str:
    """Without DATABASE_URL: the checkout's private cluster (as `make run` made it), else a
    local PostgreSQL."""
    return (
        local_cluster.database_url() or "postgresql+psycopg://postgres@localhost:5432/landrelease"
    )


def _default_owner_database_url() -> str | None:
    """Without either URL: the owner role of the checkout's private cluster. A DATABASE_URL
    given alone is used for both (never another database's owner)."""
    return None if os.environ.get("DATABASE_URL") else local_cluster.owner_database_url()


class DatabaseSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: str = Field(
        default_factory=_default_database_url,
        description="SQLAlchemy URL of the PostGIS database",
    )
    owner_database_url: str | None = Field(
        default_factory=_default_owner_database_url,
        description="SQLAlchemy URL of the role that owns the tables: migrations, grants and "
        "the maintenance commands; DATABASE_URL when not set",
    )
    pool_size: int = Field(default=10, validation_alias="DB_POOL_SIZE")
    # A request waits this long for a free connection, then is answered 503 (Retry-After).
    pool_timeout_s: float = Field(default=5.0, gt=0, validation_alias="DB_POOL_TIMEOUT_S")
    # Every statement of a request that reads is cancelled after this long...
    statement_timeout_s: float = Field(
        default=30.0, gt=0, validation_alias="DB_STATEMENT_TIMEOUT_S"
    )
    # ...and every statement of one that writes (an import of many features, a replay of
    # the whole ledger) after this long.
    write_statement_timeout_s: float = Field(
        default=600.0, gt=0, validation_alias="DB_WRITE_STATEMENT_TIMEOUT_S"
    )
    # What a 503 answer asks the client to wait before trying again.
    retry_after_s: int = Field(default=5, ge=1, validation_alias="DB_RETRY_AFTER_S")

    @field_validator("database_url", "owner_database_url")
    @classmethod
    def _use_psycopg3(cls, url: str | None) -> str | None:
        # Accept the usual libpq spellings and always talk to PostgreSQL through psycopg 3.
        if url is None:
            return None
        for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @property
    def owner_url(self) -> str:
        return self.owner_database_url or self.database_url


class LedgerSettings(BaseSettings):
    """Rules applied when facts are recorded."""

    model_config = SettingsConfigDict(env_prefix="LEDGER_", extra="ignore")

    # An event polygon is refused when more than this share of it lies outside its hazard
    # (the worked example of the land-release model overshoots by 6 %, and is accepted)...
    outside_hazard_max_fraction: float = 0.10
    # ...and that part is larger than this many square metres (GPS overshoot is tolerated).
    outside_hazard_max_m2: float = 100.0
    # A fact whose effective area is below this changes nothing and is refused.
    min_effective_m2: float = 0.01
    # The positional tolerance ε (metres): land a fact would leave as a strip or speck
    # nowhere wider than this goes with the fact; no piece narrower is kept apart. Far below
    # any field measurement, far above the rounding of any format the service writes. The
    # land state is replayed whole when it changes.
    tolerance_m: float = Field(default=0.01, ge=0, le=1)


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="API_", extra="ignore")

    default_page_size: int = 100
    max_page_size: int = 1000


class OgcSettings(BaseSettings):
    """Paging and tiles of the OGC API."""

    model_config = SettingsConfigDict(env_prefix="OGC_", extra="ignore")

    default_limit: int = 10
    max_limit: int = 10_000  # a larger limit is cut to it, as OGC API – Features says
    tile_max_features: int = 50_000


class CorsSettings(BaseSettings):
    """Which other sites' web pages may read the OGC API (layers, tiles, style)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    # Origins separated by commas (https://maps.example.org), or "*"; none by default.
    cors_origins: str = ""

    def origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


class ImportSettings(BaseSettings):
    """Limits on uploaded files, each refused with a clear error beyond it."""

    model_config = SettingsConfigDict(env_prefix="IMPORT_", extra="ignore")

    max_upload_bytes: int = 512 * 1024 * 1024
    max_zip_members: int = 1_000
    max_unpacked_bytes: int = 2 * 1024 * 1024 * 1024
    # What becomes of the part of an imported event's polygon outside its hazard when the
    # uploader does not say (app.services.overshoot): refuse, clip or keep.
    overshoot: Literal["refuse", "clip", "keep"] = "refuse"
    # A hazard whose polygon lies for this share or more on land other hazards hold is named
    # in the import report (with them), or skipped when the uploader asks.
    overlap_share: float = Field(default=0.5, gt=0, le=1)
    # Vertices of all the polygons of one file (each polygon has its own limit too:
    # INPUT_MAX_POLYGON_VERTICES).
    max_vertices: int = Field(default=5_000_000, ge=4)
    # Where uploads are unpacked and exports written, a folder per process (default: the
    # system's temporary folder's "landrelease"); what a killed process left is removed at
    # the next start.
    work_dir: Path | None = None


class QualitySettings(BaseSettings):
    """What the authority's data-quality checks call a problem (app.quality.rules)."""

    model_config = SettingsConfigDict(env_prefix="QUALITY_", extra="ignore")

    # Two recorded polygons overlap when they share more than this area (smaller overlaps
    # are slivers of digitising, not two records of the same land).
    overlap_min_m2: float = Field(default=1.0, ge=0)
    # An event's polygon overshot its hazard a lot when the part outside is both this share
    # of what was submitted and this many m² (the ledger's own limits to refuse by default).
    overshoot_share: float = Field(default=0.10, ge=0, le=1)
    overshoot_m2: float = Field(default=100.0, ge=0)
    # A hazard with land remaining and no fact of its own for this many years is stale.
    stale_years: int = Field(default=5, ge=1, le=100)


class InputSettings(BaseSettings):
    """Limits on what any request may send or ask for, each refused with a clear 422."""

    model_config = SettingsConfigDict(env_prefix="INPUT_", extra="ignore")

    # Dates outside these are refused wherever a date is given (as_of, from, to, known_at,
    # a fact's date of information, the programme's dates, the OGC API's datetime): the
    # figures of a year-by-year report are computed for every year from the programme's
    # EIF to the date asked for.
    earliest_date: date = date(1900, 1, 1)
    latest_date: date = date(2100, 12, 31)
    # Vertices of one polygon (a hazard's or an event's footprint, sent or in a file).
    max_polygon_vertices: int = Field(default=100_000, ge=4)
    # The body of a request other than an upload (a GeoJSON feature, a programme).
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)


class RateSettings(BaseSettings):
    """Rate limits, kept in each process (docs/operations.md: with several workers, each
    counts its own requests)."""

    model_config = SettingsConfigDict(env_prefix="RATE_", extra="ignore")

    # Sign-in attempts from one address, and failed ones for one account, per window.
    sign_in_per_address: int = Field(default=20, ge=1)
    sign_in_failures_per_account: int = Field(default=5, ge=1)
    sign_in_window_s: float = Field(default=300.0, gt=0)
    # Requests of an anonymous caller (one address) to the figures and reports, per window.
    anonymous_reports_per_address: int = Field(default=60, ge=1)
    anonymous_window_s: float = Field(default=60.0, gt=0)
    # Password hashes computed at once (each takes 32 MiB for a tenth of a second).
    password_hashes_at_once: int = Field(default=2, ge=1)
    # Answers to anonymous callers kept (per as-of date and parameters) until the ledger
    # changes.
    anonymous_cache_entries: int = Field(default=256, ge=0)


@lru_cache
def rate_settings() -> RateSettings:
    return RateSettings()


@lru_cache
def input_settings() -> InputSettings:
    return InputSettings()


@lru_cache
def import_settings() -> ImportSettings:
    return ImportSettings()


@lru_cache
def quality_settings() -> QualitySettings:
    return QualitySettings()


@lru_cache
def database_settings() -> DatabaseSettings:
    return DatabaseSettings()


@lru_cache
def ledger_settings() -> LedgerSettings:
    return LedgerSettings()


@lru_cache
def ogc_settings() -> OgcSettings:
    return OgcSettings()


@lru_cache
def cors_settings() -> CorsSettings:
    return CorsSettings()


@lru_cache
def api_settings() -> ApiSettings:
    return ApiSettings()


class OpenRosaSettings(BaseSettings):
    """Phones (ODK Collect, KoboCollect) speaking OpenRosa."""

    model_config = SettingsConfigDict(env_prefix="OPENROSA_", extra="ignore")

    # Signs Digest nonces; the same for every worker, or a phone is challenged once more when
    # another worker answers (empty: a secret of this process).
    nonce_secret: str = ""


@lru_cache
def openrosa_settings() -> OpenRosaSettings:
    return OpenRosaSettings()
