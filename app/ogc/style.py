"""A MapLibre style that draws the land-release vector tiles in the land-release colours."""

from __future__ import annotations

from typing import Any

# Land states and their colours (the legend of every map of the system).
STATE_COLOURS: dict[str, str] = {
    "SHA": "#f5a623",  # suspected hazardous area
    "CHA": "#d0021b",  # confirmed hazardous area
    "CANCELLED": "#4a90e2",  # released by non-technical survey
    "REDUCED": "#7ed321",  # released by technical survey
    "CLEARED": "#1b7a1b",  # released by clearance
    "CORRECTED": "#9b9b9b",  # removed as a recording error (not a release)
}


def land_release(base: str) -> dict[str, Any]:
    tiles = f"{base}/ogc/collections/{{collection}}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}"
    fill_colour: list[Any] = ["match", ["get", "state"]]
    for state, colour in STATE_COLOURS.items():
        fill_colour += [state, colour]
    fill_colour.append("#000000")
    return {
        "version": 8,
        "name": "Land release",
        "metadata": {"legend": STATE_COLOURS},
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
                "id": "regions-fill",
                "type": "fill",
                "source": "regions",
                "source-layer": "regions",
                "filter": ["==", ["get", "level"], 1],
                "paint": {"fill-color": "#ffffff", "fill-opacity": 0.6},
            },
            {
                "id": "land-fill",
                "type": "fill",
                "source": "land",
                "source-layer": "land",
                "paint": {"fill-color": fill_colour, "fill-opacity": 0.85},
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
