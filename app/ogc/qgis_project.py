"""A QGIS project of the service's layers, pointing at the service that serves it: the
dataset's vector tiles in the style's colours, and the OGC API collections, each styled
with its QML file (app/ogc/qgis/, written by QGIS itself: scripts/qgis_styles.py).

The layers that need a token name a QGIS authentication configuration (``authcfg``):
the user creates one of type Basic with the token as password and that id, once.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

STYLES = Path(__file__).parent / "qgis"
DEFAULT_AUTHCFG = "landrel"
# QGIS's ids of authentication configurations: seven letters or digits.
AUTHCFG = re.compile(r"[A-Za-z0-9]{7}")
STYLE_NAMES = ("land", "hazards", "hazard-records", "events", "regions")


@dataclass(frozen=True)
class Layer:
    collection: str
    title: str
    visible: bool
    needs_token: bool = True


# Top of the layer list first; the tiles go under them all.
LAYERS = (
    Layer("events", "Land-release events", False),
    Layer("hazards", "Hazardous areas (remaining)", True),
    Layer("hazard-records", "Hazard records (as surveyed)", False),
    Layer("land", "Land by state", False),
    Layer("regions", "Regions", False, needs_token=False),
)
TILES_TITLE = "Land and regions (vector tiles)"


@cache
def style_file(name: str) -> bytes:
    """The QML or SLD file ``name`` (``land.qml``)."""
    return (STYLES / name).read_bytes()


def _style_elements(name: str) -> list[ET.Element]:
    """What a layer takes from its QML file: its renderer, labels and blending."""
    root = ET.fromstring(style_file(f"{name}.qml"))
    wanted = (
        "renderer-v2",
        "renderer",
        "labeling",
        "blendMode",
        "featureBlendMode",
        "layerOpacity",
    )
    return [child for child in root if child.tag in wanted]


# QGIS's own numbers of the CRSs the project names: it reads the authority's code only
# beside one of them (a layer in a CRS it cannot read draws nothing once reprojected).
QGIS_SRSID = {"EPSG:4326": "3452", "EPSG:3857": "3857"}


def _crs(parent: ET.Element, authid: str) -> None:
    system = ET.SubElement(parent, "spatialrefsys")
    ET.SubElement(system, "srsid").text = QGIS_SRSID[authid]
    ET.SubElement(system, "authid").text = authid


def _oapif_source(ogc: str, layer: Layer, authcfg: str) -> str:
    source = (
        f"pagingEnabled='true' preferCoordinatesForWfsT11='false' restrictToRequestBBOX='1' "
        f"typename='{layer.collection}' url='{ogc}' version='OGC_API_FEATURES'"
    )
    return f"{source} authcfg='{authcfg}'" if layer.needs_token else source


def _tiles_source(ogc: str, authcfg: str) -> str:
    tiles = quote(f"{ogc}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}", safe="")
    style = quote(f"{ogc}/styles/land-release", safe="")
    return f"authcfg={authcfg}&styleUrl={style}&type=xyz&url={tiles}&zmax=16&zmin=0"


def project(base: str, authcfg: str, extent_3857: tuple[float, float, float, float]) -> bytes:
    """The project (.qgs XML) for the service at ``base``."""
    ogc = f"{base}/ogc"
    root = ET.Element("qgis", projectname="Land release", version="3.22.16-Białowieża")
    ET.SubElement(root, "title").text = "Land release"
    _crs(ET.SubElement(root, "projectCrs"), "EPSG:3857")
    tree = ET.SubElement(root, "layer-tree-group")
    layers = ET.SubElement(root, "projectlayers")
    entries = [
        (
            f"landrelease_{layer.collection}",
            layer.title,
            "OAPIF",
            _oapif_source(ogc, layer, authcfg),
            layer.visible,
            layer.collection,
        )
        for layer in LAYERS
    ]
    entries.append(
        ("landrelease_tiles", TILES_TITLE, "", _tiles_source(ogc, authcfg), True, "tiles")
    )
    # QGIS keeps a layer's id only when it is longer than ten characters.
    for layer_id, title, provider, source, visible, style in entries:
        ET.SubElement(
            tree,
            "layer-tree-layer",
            id=layer_id,
            name=title,
            source=source,
            providerKey=provider,
            checked="Qt::Checked" if visible else "Qt::Unchecked",
            expanded="0",
        )
        if provider:
            element = ET.SubElement(
                layers, "maplayer", type="vector", geometry="Polygon", wkbType="MultiPolygon"
            )
        else:
            element = ET.SubElement(layers, "maplayer", type="vector-tile")
        ET.SubElement(element, "id").text = layer_id
        ET.SubElement(element, "datasource").text = source
        ET.SubElement(element, "layername").text = title
        _crs(ET.SubElement(element, "srs"), "EPSG:4326" if provider else "EPSG:3857")
        if provider:
            ET.SubElement(element, "provider", encoding="UTF-8").text = provider
        element.extend(_style_elements(style))
    canvas = ET.SubElement(root, "mapcanvas", name="theMapCanvas")
    ET.SubElement(canvas, "units").text = "meters"
    extent = ET.SubElement(canvas, "extent")
    for name, value in zip(("xmin", "ymin", "xmax", "ymax"), extent_3857, strict=True):
        ET.SubElement(extent, name).text = repr(value)
    _crs(ET.SubElement(canvas, "destinationsrs"), "EPSG:3857")
    body = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body


def qgz(base: str, authcfg: str, extent_3857: tuple[float, float, float, float]) -> bytes:
    """The project zipped as QGIS saves it (.qgz)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("land-release.qgs", project(base, authcfg, extent_3857))
    return buffer.getvalue()
