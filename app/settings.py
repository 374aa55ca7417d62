"""Settings, one class per concern, read from the environment."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class DatabaseSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: str = Field(
        default="postgresql+psycopg://postgres@localhost:5432/landrelease",
        description="SQLAlchemy URL of the PostGIS database",
    )
    pool_size: int = Field(default=10, validation_alias="DB_POOL_SIZE")

    @field_validator("database_url")
    @classmethod
    def _use_psycopg3(cls, url: str) -> str:
        # Accept the usual libpq spellings and always talk to PostgreSQL through psycopg 3.
        for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url


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


@lru_cache
def import_settings() -> ImportSettings:
    return ImportSettings()


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
