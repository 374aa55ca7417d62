// The offline basemap under the land: lakes, rivers, roads, borders and places from the
// service's own vector tiles (prepared by scripts/basemap.sh from open data). Place names are
// HTML labels, as the provinces' are: no font files are needed. Without a basemap the map
// still works, and says so.
import { api } from "./api.js";
import { t } from "./i18n.js";

const WATER = "#7fb3d5";
const MAX_LABELS = 80;

export async function addBasemap(map, note) {
  let found;
  try {
    found = await api("/api/v1/basemap");
  } catch {
    found = { available: false, layers: [] };
  }
  if (!found.available) {
    note.textContent = t("map.no_basemap");
    note.dataset.basemap = "none";
    return () => {};
  }
  note.textContent = t("map.basemap_sources", {
    sources: [...new Set(found.layers.map((l) => `${l.source} (${l.licence})`))].join("; "),
  });
  note.dataset.basemap = found.layers.map((l) => l.layer).join(" ");
  map.addSource("basemap", {
    type: "vector",
    tiles: [`${location.origin}/api/v1/basemap/tiles/{z}/{x}/{y}`],
    minzoom: 0,
    maxzoom: 14,
  });
  const under = map.getLayer("land-fill") ? "land-fill" : undefined;
  const layer = (spec) => map.addLayer({ source: "basemap", "source-layer": spec.id.split("-")[1], ...spec }, under);
  layer({ id: "basemap-lakes", type: "fill", paint: { "fill-color": WATER, "fill-opacity": 0.7 } });
  // Permanent rivers (WDBII levels 1-4) solid, intermittent ones and canals dashed.
  const riverWidth = ["interpolate", ["linear"], ["zoom"], 5, ["match", ["get", "rank"], 1, 1.6, 2, 1.2, 0.6],
    12, ["match", ["get", "rank"], 1, 4, 2, 3, 1.5]];
  layer({ id: "basemap-rivers", type: "line", filter: ["<", ["get", "rank"], 5],
    paint: { "line-color": WATER, "line-width": riverWidth } });
  layer({ id: "basemap-rivers-intermittent", "source-layer": "rivers", type: "line", filter: [">=", ["get", "rank"], 5],
    paint: { "line-color": WATER, "line-width": 0.8, "line-dasharray": [3, 2] } });
  layer({ id: "basemap-roads", type: "line", paint: { "line-color": "#9a7b4f", "line-width": 1.2 } });
  layer({ id: "basemap-borders", type: "line", paint: { "line-color": "#6a3d9a", "line-width": 1.5, "line-dasharray": [4, 2] } });
  layer({ id: "basemap-places", type: "circle", paint: { "circle-radius": 2.5, "circle-color": "#333" } });
  const labels = new Map();
  const relabel = () => {
    const seen = new Set();
    const placed = []; // screen boxes of the labels kept: larger places first, no overlaps
    const features = map.querySourceFeatures("basemap", { sourceLayer: "places" })
      .sort((a, b) => (b.properties.population || 0) - (a.properties.population || 0));
    for (const feature of features) {
      const name = feature.properties.name;
      if (seen.has(name) || seen.size >= MAX_LABELS) continue;
      const at = map.project(feature.geometry.coordinates);
      const box = [at.x, at.y - 8, at.x + 8 + name.length * 6.5, at.y + 8];
      if (placed.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      placed.push(box);
      seen.add(name);
      if (!labels.has(name)) {
        const element = document.createElement("div");
        element.className = "place-label";
        element.textContent = name;
        if (feature.properties.name_local) element.title = feature.properties.name_local;
        labels.set(name, new maplibregl.Marker({ element, anchor: "left", offset: [4, 0] })
          .setLngLat(feature.geometry.coordinates).addTo(map));
      }
    }
    for (const [name, marker] of labels) {
      if (!seen.has(name)) {
        marker.remove();
        labels.delete(name);
      }
    }
  };
  map.on("idle", relabel);
  return () => labels.forEach((marker) => marker.remove());
}
