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
# Share of a province still contaminated -> its shade: white to slate blue, hues that no land
# state uses (orange, red, greens, grey), so that a shaded province never reads as SHA or CHA.
SHARE_COLOURS: list[tuple[float, str]] = [
    (0.0, "#ffffff"),
    (0.0002, "#dbe7f5"),
    (0.0005, "#a9c9ec"),
    (0.001, "#6fa3dc"),
    (0.002, "#3f73b8"),
]


def land_release(base: str) -> dict[str, Any]:
    tiles = f"{base}/ogc/collections/{{collection}}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}"
    fill_colour: list[Any] = ["match", ["get", "state"]]
    for state, colour in STATE_COLOURS.items():
        fill_colour += [state, colour]
    fill_colour.append("#000000")
    return {
        "version": 8,
        "name": "Land release",
        "metadata": {"legend": STATE_COLOURS, "region_shades": SHARE_COLOURS},
        "sources": {
            "land": {
                "type": "vector",
                "tiles": [tiles.replace("{collection}", "land")],
                "minzoom": 0,
                "maxzoom": 16,
            },
            "regions": {
                "type": "vector",
                "tiles": [tiles.replace("{collection}", "regions")],
                "minzoom": 0,
                "maxzoom": 12,
            },
        },
        "layers": [
            {"id": "background", "type": "background", "paint": {"background-color": "#f8f8f4"}},
            {
                # Provinces shaded by the share of their land still contaminated: what a
                # national view can show of areas too small to see at that scale.
                "id": "regions-fill",
                "type": "fill",
                "source": "regions",
                "source-layer": "regions",
                "filter": ["==", ["get", "level"], 1],
                "paint": {
                    "fill-color": [
                        "interpolate",
                        ["linear"],
                        ["get", "remaining_share"],
                        *[stop for pair in SHARE_COLOURS for stop in pair],
                    ],
                    "fill-opacity": ["interpolate", ["linear"], ["zoom"], 8, 0.85, 11, 0.15],
                },
            },
            {
                "id": "land-fill",
                "type": "fill",
                "source": "land",
                "source-layer": "land",
                "paint": {
                    "fill-color": fill_colour,
                    "fill-opacity": [
                        "match",
                        ["get", "state"],
                        ["SHA", "CHA"],
                        CONTAMINATED_OPACITY,
                        0.8,
                    ],
                },
            },
            {
                "id": "land-outline",
                "type": "line",
                "source": "land",
                "source-layer": "land",
                "minzoom": 12,
                "paint": {"line-color": fill_colour, "line-width": 1},
            },
            {
                "id": "regions-districts",
                "type": "line",
                "source": "regions",
                "source-layer": "regions",
                "filter": ["==", ["get", "level"], 2],
                "paint": {"line-color": "#8a8a8a", "line-width": 0.6, "line-dasharray": [3, 2]},
            },
            {
                "id": "regions-provinces",
                "type": "line",
                "source": "regions",
                "source-layer": "regions",
                "filter": ["==", ["get", "level"], 1],
                "paint": {"line-color": "#4d4d4d", "line-width": 1.2},
            },
        ],
    }
