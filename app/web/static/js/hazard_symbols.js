// Hazards as circles at national and provincial zoom, where their land is smaller than a
// pixel: one per hazard (a point on its largest remaining piece), gathered into clusters
// where they crowd; the area of a circle grows with the land it stands for, its colour is
// CHA's where most of that land is confirmed, SHA's otherwise. From SYMBOLS_UNTIL_ZOOM on the
// land itself is drawn in its colours.
import { api } from "./api.js";
import { area, t } from "./i18n.js";

export const SYMBOLS_UNTIL_ZOOM = 12;
const SOURCE = "hazard-symbols";

export function addHazardSymbols(map, colours) {
  map.addSource(SOURCE, {
    type: "geojson",
    data: { type: "FeatureCollection", features: [] },
    cluster: true,
    clusterMaxZoom: 10,
    clusterRadius: 40,
    clusterProperties: {
      remaining_m2: ["+", ["get", "remaining_m2"]],
      cha_m2: ["+", ["get", "cha_m2"]],
    },
  });
  // Radius grows with √area: 1 ha → 5 px, 1 km² → 9 px, 25 km² → 26 px, 100 km² → 34 px.
  const radius = ["interpolate", ["linear"], ["sqrt", ["get", "remaining_m2"]],
    0, 4, 100, 5, 1000, 9, 5000, 26, 10000, 34];
  const mostlyConfirmed = [">=", ["*", 2, ["get", "cha_m2"]], ["get", "remaining_m2"]];
  map.addLayer({
    id: "hazard-symbols",
    type: "circle",
    source: SOURCE,
    maxzoom: SYMBOLS_UNTIL_ZOOM,
    paint: {
      "circle-radius": radius,
      "circle-color": ["case", mostlyConfirmed, colours.CHA, colours.SHA],
      "circle-opacity": 0.85,
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": ["case", ["has", "point_count"], 2, 1],
    },
  });
  const tip = new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: "symbol-tip" });
  map.on("mousemove", "hazard-symbols", (event) => {
    const p = event.features[0].properties;
    const words = p.point_count
      ? t("map.cluster_tip", { count: p.point_count, area: area(p.remaining_m2) })
      : t("map.symbol_tip", { reference: p.reference, area: area(p.remaining_m2) });
    map.getCanvas().style.cursor = "pointer";
    tip.setLngLat(event.lngLat).setText(words).addTo(map);
  });
  map.on("mouseleave", "hazard-symbols", () => {
    map.getCanvas().style.cursor = "";
    tip.remove();
  });
}

// A click on a cluster zooms in to where it splits; on a hazard, ``open(reference)``.
export function onSymbolClick(map, open) {
  map.on("click", "hazard-symbols", async (event) => {
    const feature = event.features && event.features[0];
    if (!feature) return;
    const p = feature.properties;
    if (p.cluster_id !== undefined) {
      const zoom = await map.getSource(SOURCE).getClusterExpansionZoom(p.cluster_id);
      map.easeTo({ center: feature.geometry.coordinates, zoom });
    } else {
      open(p.reference);
    }
  });
}

// The symbols as of a date (the map's scope: every contamination type).
export async function loadHazardSymbols(map, asOf) {
  const symbols = await api(`/api/v1/hazard-symbols?as_of=${asOf}`);
  const source = map.getSource(SOURCE);
  if (source) source.setData(symbols);
  return symbols;
}
