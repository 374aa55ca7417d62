#!/usr/bin/python3
"""Write the QGIS style files of the OGC layers (app/ogc/qgis/): a QML and an SLD file for
each collection, in the land-release colours of app/ogc/style.py, and the QML of the
dataset's vector tiles as QGIS's own converter reads the MapLibre style.

QGIS writes them itself, so they are what QGIS reads. Run with Debian's Python, which has
python3-qgis (`apt-get install python3-qgis`), after changing the colours or the style:

    /usr/bin/python3 scripts/qgis_styles.py
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsMapBoxGlStyleConversionContext,
    QgsMapBoxGlStyleConverter,
    QgsRendererCategory,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
    QgsVectorTileLayer,
)

from app.ogc.style import (  # noqa: E402
    CONTAMINATED_OPACITY,
    RELEASED_OPACITY,
    STATE_COLOURS,
    land_release,
    share_classes,
)

FOLDER = ROOT / "app" / "ogc" / "qgis"
# What each kind of event turned land into: its colour.
KIND_STATES = {
    "confirm": "CHA",
    "cancel": "cancelled",
    "reduce": "reduced",
    "clear": "cleared",
    "correct": "corrected",
}
# Any base URL: the service writes its own in the project it serves.
PLACEHOLDER = "http://landrelease.invalid"


def fill(colour: str, opacity: float, outline: str | None = None) -> QgsFillSymbol:
    symbol = QgsFillSymbol.createSimple(
        {
            "color": colour,
            "outline_color": outline or colour,
            "outline_width": "0.3",
            "style": "solid",
        }
    )
    symbol.setOpacity(opacity)
    return symbol


def outline(colour: str, width: str, dashed: bool = False) -> QgsFillSymbol:
    return QgsFillSymbol.createSimple(
        {
            "style": "no",
            "outline_color": colour,
            "outline_width": width,
            "outline_style": "dash" if dashed else "solid",
        }
    )


def opacity_of(state: str) -> float:
    return CONTAMINATED_OPACITY if state in ("SHA", "CHA") else RELEASED_OPACITY


def categorised(field: str, colours: dict[str, str], opacity: dict[str, float]):
    categories = [
        QgsRendererCategory(value, fill(colour, opacity[value]), value)
        for value, colour in colours.items()
    ]
    return QgsCategorizedSymbolRenderer(field, categories)


def regions_renderer() -> QgsRuleBasedRenderer:
    """Provinces shaded by the share of their land still contaminated; district lines."""
    root = QgsRuleBasedRenderer.Rule(None)
    for low, high, colour in share_classes():
        condition = f'"level" = 1 AND "remaining_share" >= {low}'
        label = f"{low:.2%} or more"
        if high is not None:
            condition += f' AND "remaining_share" < {high}'
            label = f"{low:.2%} to {high:.2%}"
        root.appendChild(
            QgsRuleBasedRenderer.Rule(fill(colour, 0.6, "#4d4d4d"), 0, 0, condition, label)
        )
    root.appendChild(
        QgsRuleBasedRenderer.Rule(
            outline("#8a8a8a", "0.2", dashed=True), 0, 0, '"level" = 2', "district"
        )
    )
    return QgsRuleBasedRenderer(root)


def vector_layer(collection: str, fields: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"MultiPolygon?crs=EPSG:4326&{fields}", collection, "memory")
    assert layer.isValid(), collection
    return layer


def write(layer, name: str, sld: bool = True) -> None:
    message, ok = layer.saveNamedStyle(str(FOLDER / f"{name}.qml"))
    assert ok, message
    if sld:
        message, ok = layer.saveSldStyle(str(FOLDER / f"{name}.sld"))
        assert ok, message


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    contaminated = {s: STATE_COLOURS[s] for s in ("SHA", "CHA")}
    opacities = {state: opacity_of(state) for state in STATE_COLOURS}

    land = vector_layer("land", "field=state:string&field=hazard:string")
    land.setRenderer(categorised("state", STATE_COLOURS, opacities))
    write(land, "land")

    hazards = vector_layer("hazards", "field=reference:string&field=hazard_class:string")
    hazards.setRenderer(categorised("hazard_class", contaminated, opacities))
    write(hazards, "hazards")

    records = vector_layer("hazard-records", "field=reference:string&field=hazard_class:string")
    records.setRenderer(
        QgsCategorizedSymbolRenderer(
            "hazard_class",
            [
                QgsRendererCategory(c, outline(colour, "0.6"), c)
                for c, colour in contaminated.items()
            ],
        )
    )
    write(records, "hazard-records")

    events = vector_layer("events", "field=kind:string&field=hazard:string")
    events.setRenderer(
        categorised(
            "kind",
            {kind: STATE_COLOURS[state] for kind, state in KIND_STATES.items()},
            {kind: opacity_of(state) for kind, state in KIND_STATES.items()},
        )
    )
    write(events, "events")

    regions = vector_layer(
        "regions", "field=code:string&field=level:integer&field=remaining_share:double"
    )
    regions.setRenderer(regions_renderer())
    write(regions, "regions")

    tiles = QgsVectorTileLayer(
        f"type=xyz&url={PLACEHOLDER}/ogc/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}&zmin=0&zmax=16",
        "tiles",
    )
    converter = QgsMapBoxGlStyleConverter()
    context = QgsMapBoxGlStyleConversionContext()
    converter.convert(land_release(PLACEHOLDER), context)
    if converter.errorMessage():
        raise SystemExit(converter.errorMessage())
    if context.warnings():
        raise SystemExit("the style converter warns: " + "; ".join(context.warnings()))
    tiles.setRenderer(converter.renderer())
    if converter.labeling():
        tiles.setLabeling(converter.labeling())
    write(tiles, "tiles", sld=False)


if __name__ == "__main__":
    application = QgsApplication([], False)
    application.setPrefixPath("/usr", True)
    application.initQgis()
    try:
        main()
    finally:
        application.exitQgis()
