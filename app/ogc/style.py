"""A MapLibre style that draws the land-release vector tiles in the land-release colours.

SHA and CHA take the fill colours of the GICHD land-release symbology that IMAS 07.11 annexes
(Technical Note 07.11/01-2016, as tabled on the IMSMA wiki: CHA #FF0000, SHA #F4A718, both
at 50 % opacity). The colours of released land could not be read from that note offline:
cancelled, reduced and cleared land are drawn in three greens of increasing depth (the
note's "closed" land is green), corrected land in grey.
"""

from __future__ import annotations

from typing import Any

# Land states and their colours (the legend of every map of the system).
STATE_COLOURS: dict[str, str] = {
    "SHA": "#F4A718",  # suspected hazardous area (GICHD)
    "CHA": "#FF0000",  # confirmed hazardous area (GICHD)
    "cancelled": "#A6D96A",  # released by non-technical survey
    "reduced": "#66BD63",  # released by technical survey
    "cleared": "#1A9850",  # released by clearance
    "corrected": "#BDBDBD",  # removed as a recording error (not a release)
}
CONTAMINATED_OPACITY = 0.5
RELEASED_OPACITY = 0.8
# Share of a province still contaminated -> its shade: white to slate blue, hues that no land
# state uses (orange, red, greens, grey), so that a shaded province never reads as SHA or CHA.
SHARE_COLOURS: list[tuple[float, str]] = [
    (0.0, "#ffffff"),
    (0.0002, "#dbe7f5"),
    (0.0005, "#a9c9ec"),
    (0.001, "#6fa3dc"),
    (0.002, "#3f73b8"),
]


# The layers of the dataset's tiles the style draws, one source: QGIS 3.22 draws one tile
# source per layer and ignores the style's sources, so land and regions come in one tile.
SOURCE = "landrelease"
CONTAMINATED_STATES = ["SHA", "CHA"]
RELEASED_STATES = [s for s in STATE_COLOURS if s not in CONTAMINATED_STATES]


def _state_colour() -> list[Any]:
    """The colour of a piece by its state. Each label is written as a one-element array,
    valid MapLibre that QGIS's style converter (3.22) also reads: it loses plain string
    labels and draws everything in the fallback colour."""
    colour: list[Any] = ["match", ["get", "state"]]
    for state, value in STATE_COLOURS.items():
        colour += [[state], value]
    return [*colour, "#000000"]


def _one_of(states: list[str]) -> list[Any]:
    """A filter: the piece's state is one of ``states`` (a match, which both read)."""
    return ["match", ["get", "state"], states, True, False]


def share_classes() -> list[tuple[float, float | None, str]]:
    """(from, to or None, colour) of each shade of the regions' choropleth."""
    bounds = [share for share, _ in SHARE_COLOURS]
    return [
        (low, bounds[i + 1] if i + 1 < len(bounds) else None, colour)
        for i, (low, colour) in enumerate(SHARE_COLOURS)
    ]


def _region_shades() -> list[dict[str, Any]]:
    """Provinces shaded by the share of their land still contaminated, one layer per shade
    with a range filter and one colour (QGIS 3.22 draws nothing for an interpolation on a
    property)."""
    layers = []
    for i, (low, high, colour) in enumerate(share_classes()):
        condition: list[Any] = ["all", ["==", ["get", "level"], 1]]
        condition.append([">=", ["get", "remaining_share"], low])
        if high is not None:
            condition.append(["<", ["get", "remaining_share"], high])
        layers.append(
            {
                "id": f"regions-share-{i}",
                "type": "fill",
                "source": SOURCE,
                "source-layer": "regions",
                "filter": condition,
                "paint": {
                    "fill-color": colour,
                    "fill-opacity": ["interpolate", ["linear"], ["zoom"], 8, 0.85, 11, 0.3],
                },
            }
        )
    return layers


def land_release(base: str) -> dict[str, Any]:
    return {
        "version": 8,
        "name": "Land release",
        "metadata": {"legend": STATE_COLOURS, "region_shades": SHARE_COLOURS},
        "sources": {
            SOURCE: {
                "type": "vector",
                "tiles": [f"{base}/ogc/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}"],
                "minzoom": 0,
                "maxzoom": 16,
            },
        },
        # No background layer: QGIS would draw it over every tile, hiding the map beneath.
        "layers": [
            # What a national view can show of areas too small to see at that scale.
            *_region_shades(),
            {
                "id": "land-fill",
                "type": "fill",
                "source": SOURCE,
                "source-layer": "land",
                "filter": _one_of(CONTAMINATED_STATES),
                "paint": {"fill-color": _state_colour(), "fill-opacity": CONTAMINATED_OPACITY},
            },
            {
                "id": "land-released-fill",
                "type": "fill",
                "source": SOURCE,
                "source-layer": "land",
                "filter": _one_of(RELEASED_STATES),
                "paint": {"fill-color": _state_colour(), "fill-opacity": RELEASED_OPACITY},
            },
            {
                "id": "land-outline",
                "type": "line",
                "source": SOURCE,
                "source-layer": "land",
                "minzoom": 12,
                "paint": {"line-color": _state_colour(), "line-width": 1},
            },
            {
                "id": "regions-districts",
                "type": "line",
                "source": SOURCE,
                "source-layer": "regions",
                "filter": ["==", ["get", "level"], 2],
                "paint": {"line-color": "#8a8a8a", "line-width": 0.6, "line-dasharray": [3, 2]},
            },
            {
                "id": "regions-provinces",
                "type": "line",
                "source": SOURCE,
                "source-layer": "regions",
                "filter": ["==", ["get", "level"], 1],
                "paint": {"line-color": "#4d4d4d", "line-width": 1.2},
            },
        ],
    }
