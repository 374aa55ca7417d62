"""The authority's data-quality list: overlapping, contained and duplicate hazards, hazards
not mapped, geometries repaired or refused per upload, events with a large overshoot, stale
hazards and land outside every region; as JSON (a page of each check) or downloaded whole as
CSV (a zip, a file per check) or XLSX (a sheet per check)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from app.api.deps import ConnectionDep
from app.api.models.data_quality import DataQuality, QualityCheck
from app.api.report_answers import MEDIA, TABLES
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.i18n.language import current_language
from app.quality.rules import Check
from app.reports import tables
from app.reports.data_quality_tables import quality_tables
from app.reports.heading import Heading
from app.reports.labels import Labels
from app.services import data_quality
from app.storage import programme

router = APIRouter(prefix="/api/v1/data-quality", tags=["data quality"])

Authority = Annotated[Principal, Depends(allow(Action.READ_DATA_QUALITY))]
Limit = Annotated[int, Query(ge=0, le=10_000, description="entries shown of each check")]
Offset = Annotated[int, Query(ge=0, description="entries skipped")]
QualityFormat = Annotated[
    Literal["json", "csv", "xlsx"],
    Query(description="json (a page of each check), csv (a zip, a file per check), xlsx"),
]


@router.get(
    "",
    response_model=DataQuality,
    responses=TABLES,
    summary="What each data-quality check finds: counts, the first entries, or all as a file",
)
def data_quality_list(
    conn: ConnectionDep, principal: Authority, limit: Limit = 100, format: QualityFormat = "json"
) -> Response | dict[str, Any]:
    today = date.today()
    found = data_quality.findings(conn, today)
    if format != "json":
        return _download(conn, found, format)
    return {
        "today": today,
        "settings": asdict(found.thresholds),
        "checks": [
            {"check": check, "count": len(entries), "entries": entries[:limit]}
            for check, entries in found.entries.items()
        ],
    }


@router.get(
    "/{check}", response_model=QualityCheck, summary="One data-quality check's entries, a page"
)
def one_check(
    check: Check, conn: ConnectionDep, principal: Authority, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    entries = data_quality.findings(conn, date.today(), [check]).entries[check]
    return {"check": check, "count": len(entries), "entries": entries[offset : offset + limit]}


def _download(conn: ConnectionDep, found: data_quality.Findings, fmt: str) -> Response:
    words = Labels(current_language())
    document = programme.current(conn, None)
    country = document["country"] if document else words("heading.no_country")
    heading = Heading(words("quality.title"), country, found.today, None, datetime.now(UTC))
    found_tables = quality_tables(found.entries, words)
    body = (
        tables.to_csv_zip(found_tables)
        if fmt == "csv"
        else tables.to_xlsx(found_tables, heading, words)
    )
    media, suffix = MEDIA[fmt]
    name = f"data-quality-{found.today.isoformat()}.{suffix}"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
