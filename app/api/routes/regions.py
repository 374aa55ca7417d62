"""The administrative regions that figures are split by."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile

from app.api.deps import ConnectionDep
from app.api.models.regions import LoadedRegions, Region
from app.api.security import allow
from app.api.uploads import save_upload
from app.auth.policy import Action
from app.auth.principal import Principal
from app.formats.features import parsed_mapping
from app.formats.unpack import Limits, unpack
from app.services.land_rebuild import begin_write
from app.services.regions import load_regions, read_regions
from app.settings import ImportSettings, import_settings
from app.storage import audit, regions

router = APIRouter(prefix="/api/v1", tags=["regions"])

Reader = Annotated[Principal, Depends(allow(Action.READ_TOTALS))]
Authority = Annotated[Principal, Depends(allow(Action.SET_PROGRAMME))]
Limited = Annotated[ImportSettings, Depends(import_settings)]


@router.get(
    "/regions",
    response_model=list[Region],
    summary="Administrative regions: code, name, level, parent, area",
)
def list_regions(
    conn: ConnectionDep,
    _: Reader,
    level: Annotated[int | None, Query(ge=1, le=4, description="1 province, 2 district")] = None,
) -> list[dict]:
    return regions.listing(conn, level)


@router.post(
    "/regions",
    response_model=LoadedRegions,
    summary="Replace the programme's administrative regions from a GIS file",
)
def replace_regions(
    conn: ConnectionDep,
    principal: Authority,
    limits: Limited,
    file: Annotated[UploadFile, File(description="any format an import reads")],
    layer: Annotated[str | None, Form(description="for files with several layers")] = None,
    crs: Annotated[str | None, Form(description="for a file that does not say its CRS")] = None,
    mapping: Annotated[
        str | None,
        Form(
            description="JSON: code, name, level, parent_code -> the file's field, e.g. "
            '{"code": "ADM1_PCODE", "name": "ADM1_EN"}'
        ),
    ] = None,
) -> dict:
    """The regions are replaced as a whole and the land state re-cut along them, every
    version of it: figures as known before are kept."""
    name = Path(file.filename or "regions").name
    with tempfile.TemporaryDirectory(prefix="landrelease-regions-") as folder:
        upload = Path(folder) / "upload"
        save_upload(file, upload, limits.max_upload_bytes)
        unpacked = unpack(
            upload, name, Path(folder), Limits(limits.max_zip_members, limits.max_unpacked_bytes)
        )
        found = read_regions(
            unpacked.path, layer or None, crs or None, parsed_mapping(mapping), name
        )
    loaded = load_regions(conn, found, name, begin_write(conn))
    result = {"regions": loaded.regions, "levels": loaded.levels, "land_rows": loaded.land_rows}
    audit.append(conn, principal, "replace", "regions", name, result)
    return result
