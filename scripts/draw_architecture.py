"""Draw the layers of the application as docs/architecture.svg.

    .venv/bin/python scripts/draw_architecture.py [--png FILE]

The picture is data below (boxes and the imports allowed between them): change it with the
code's layout and run the script again. The SVG is written without a date or random ids, so
running it twice gives the same file.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

OUT = Path(__file__).resolve().parent.parent / "docs" / "architecture.svg"

# Colours by kind of layer: entry points, use cases, domain, storage and files, geometry.
ENTRY, USE_CASES, DOMAIN, EDGE, GEO, SHARED = (
    "#dbe9f6",
    "#fde9c8",
    "#d9f0d3",
    "#e8e0f2",
    "#f3dada",
    "#eeeeee",
)


@dataclass(frozen=True)
class Box:
    name: str
    what: str
    x: float
    y: float
    w: float
    h: float
    colour: str

    @property
    def top(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h)

    @property
    def bottom(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y)


BOXES = {
    "web": Box("app/web", "the page, its scripts,\nstyles, catalogues", 0.2, 8.2, 2.6, 1.2, ENTRY),
    "api": Box("app/api", "HTTP routes, schemas,\nGeoJSON, tokens", 3.1, 8.2, 2.6, 1.2, ENTRY),
    "ogc": Box("app/ogc", "OGC API – Features\nand Tiles, CQL2", 6.0, 8.2, 2.6, 1.2, ENTRY),
    "cli": Box("app/__main__", "the command line", 8.9, 8.2, 2.6, 1.2, ENTRY),
    "services": Box(
        "app/services",
        "use cases: recording, voiding, review, imports,\nkeeping the land state up to date",
        2.4,
        6.0,
        7.0,
        1.3,
        USE_CASES,
    ),
    "auth": Box("app/auth", "roles, the access\npolicy, hashing", 10.0, 6.0, 2.2, 1.3, EDGE),
    "accounting": Box(
        "app/accounting", "totals, flows,\nbalance, regions", 0.45, 3.05, 2.1, 1.4, DOMAIN
    ),
    "ledger": Box(
        "app/ledger", "domain types, pieces,\nreplay, tolerance", 2.7, 3.05, 2.1, 1.4, DOMAIN
    ),
    "reports": Box(
        "app/reports", "Articles 4.6, 5, 7,\nwork plan, chart", 0.45, 1.4, 2.1, 1.4, DOMAIN
    ),
    "treaty": Box("app/treaty", "CCM, APMBC\ndeadlines", 2.7, 1.4, 2.1, 1.4, DOMAIN),
    "storage": Box(
        "app/storage",
        "all SQL on PostGIS: facts,\npieces, records, audit",
        5.5,
        2.2,
        2.9,
        1.6,
        EDGE,
    ),
    "formats": Box(
        "app/formats", "field files in and out,\nCRS of files", 9.0, 2.2, 2.9, 1.6, EDGE
    ),
    "geo": Box(
        "app/geo",
        "polygons on the grid, geodesic densification and areas",
        0.2,
        0.0,
        11.7,
        0.9,
        GEO,
    ),
}

# (from, to): "from" may import "to".
IMPORTS = [
    ("api", "services"),
    ("ogc", "services"),
    ("cli", "services"),
    ("services", "domain"),
    ("services", "storage"),
    ("services", "formats"),
    ("services", "auth"),
    ("domain", "geo"),
    ("storage", "geo"),
    ("formats", "geo"),
]
# Domain types (app/ledger) are imported by storage and formats: drawn dashed.
TYPE_IMPORTS = [("storage", "ledger"), ("formats", "ledger")]

DOMAIN_FRAME = (0.2, 1.15, 4.85, 3.75)  # x, y, w, h around the four domain packages


def _box(ax: plt.Axes, box: Box) -> None:
    ax.add_patch(
        FancyBboxPatch(
            (box.x, box.y),
            box.w,
            box.h,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=box.colour,
            edgecolor="#444444",
            linewidth=1.0,
        )
    )
    ax.text(box.x + box.w / 2, box.y + box.h - 0.28, box.name, ha="center", va="center",
            fontsize=10.5, fontweight="bold", family="monospace")  # fmt: skip
    ax.text(box.x + box.w / 2, box.y + (box.h - 0.45) / 2, box.what, ha="center", va="center",
            fontsize=8.5, color="#222222", linespacing=1.25)  # fmt: skip


def _arrow(
    ax: plt.Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    dashed: bool = False,
    dotted: bool = False,
    bend: float = 0.0,
) -> None:
    style = (0, (4, 3)) if dashed else (0, (1, 2)) if dotted else "-"
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=12,
            linewidth=1.1,
            color="#555555",
            linestyle=style,
            connectionstyle=f"arc3,rad={bend}",
            shrinkA=2,
            shrinkB=2,
        )
    )


def _anchor(name: str, end: str) -> tuple[float, float]:
    if name == "domain":
        x, y, w, h = DOMAIN_FRAME
        return (x + w / 2, y + h) if end == "top" else (x + w / 2, y)
    box = BOXES[name]
    return box.top if end == "top" else box.bottom


def draw() -> plt.Figure:
    plt.rcParams["svg.hashsalt"] = "architecture"
    plt.rcParams["svg.fonttype"] = "none"  # text stays text: small, searchable
    figure, ax = plt.subplots(figsize=(10.5, 8.6))
    ax.set_xlim(0, 12.4)
    ax.set_ylim(-0.85, 9.7)
    ax.axis("off")

    x, y, w, h = DOMAIN_FRAME
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.02,rounding_size=0.15",
                                facecolor="none", edgecolor="#4c8a3f", linestyle="--"))  # fmt: skip
    ax.text(x + 0.15, y + h - 0.2, "domain", ha="left", va="center", fontsize=9.5,
            color="#2f6a24", style="italic")  # fmt: skip
    for box in BOXES.values():
        _box(ax, box)

    for source, target in IMPORTS:
        if source == "services" and target == "auth":
            services, auth = BOXES["services"], BOXES["auth"]
            start = (services.x + services.w, services.y + services.h / 2)
            _arrow(ax, start, (auth.x, auth.y + auth.h / 2))
            continue
        start = _anchor(source, "bottom")
        end = _anchor(target, "top")
        if target == "geo":  # straight down onto the wide geometry bar
            end = (start[0], end[1])
        _arrow(ax, start, end)
    ledger = BOXES["ledger"]
    for source, _ in TYPE_IMPORTS:
        box = BOXES[source]
        if source == "storage":  # straight across to its neighbour
            start, end, bend = (box.x, ledger.y + 0.5), (ledger.x + ledger.w, ledger.y + 0.5), 0.0
        else:  # over the top of app/storage
            start, bend = (box.x + 0.5, box.y + box.h), 0.25
            end = (ledger.x + ledger.w, ledger.y + 1.1)
        _arrow(ax, start, end, dashed=True, bend=bend)
    web, api = BOXES["web"], BOXES["api"]
    _arrow(ax, (web.x + web.w, web.y + 0.6), (api.x, api.y + 0.6), dotted=True)
    ax.text(web.x + web.w + 0.15, web.y + 0.8, "HTTP", ha="center", fontsize=7.5, color="#444444")
    legend = [
        "arrow: may import   ·   dashed: imports the domain types of app/ledger   ·   "
        "dotted: calls over HTTP",
        "app/api, app/ogc and the command line also import app/auth   ·   "
        "app/settings.py, app/errors.py, app/db.py are used by every layer",
    ]
    for y, line in zip((-0.35, -0.65), legend, strict=True):
        ax.text(6.2, y, line, ha="center", va="center", fontsize=8, color="#444444")
    figure.tight_layout(pad=0.2)
    return figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", type=Path, help="also write a PNG, to look at the picture")
    args = parser.parse_args()
    figure = draw()
    figure.savefig(OUT, format="svg", metadata={"Date": None})
    if args.png:
        figure.savefig(args.png, dpi=110)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
