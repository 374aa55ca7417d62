// What the map pages share: the service's style with the date in its tile URLs, the token
// on the service's own requests, and the bounds of a GeoJSON geometry.
import { authHeaders, can } from "./api.js";

// The style's one source: the dataset's tiles (the land and the regions in each tile).
export const SOURCE = "landrelease";
// The style's layers that draw land (clicking one opens its hazard).
export const LAND_LAYERS = ["land-fill", "land-released-fill"];

export function tileUrl(asOf) {
  const date = asOf ? `?as_of=${asOf}` : "";
  return `${location.origin}/ogc/tiles/WebMercatorQuad/{z}/{y}/{x}${date}`;
}

// The service's style with the date in the tile URLs; without the right to read hazards,
// the land layers are left out (the service leaves the land out of their tiles).
export function prepared(style, asOf) {
  const copy = structuredClone(style);
  copy.sources[SOURCE].tiles = [tileUrl(asOf)];
  if (!can("read")) {
    copy.layers = copy.layers.filter((layer) => layer["source-layer"] !== "land");
  }
  return copy;
}

export function withToken(url) {
  return url.startsWith(location.origin) ? { url, headers: authHeaders() } : { url };
}

export function bounds(geometry) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (coords) => {
    if (typeof coords[0] === "number") {
      box[0] = Math.min(box[0], coords[0]);
      box[1] = Math.min(box[1], coords[1]);
      box[2] = Math.max(box[2], coords[0]);
      box[3] = Math.max(box[3], coords[1]);
    } else coords.forEach(walk);
  };
  walk(geometry.coordinates);
  return [[box[0], box[1]], [box[2], box[3]]];
}

// Tiles of an earlier date are cancelled when the date changes: not an error. Any other
// failure of the map is said beside it instead of in the console.
export function ignoreAborts(map, where) {
  map.on("error", (event) => {
    const error = event.error || {};
    if (error.name === "AbortError" || /abort/i.test(error.message || "")) return;
    if (where) where.dataset.mapError = error.message || "map error";
    console.warn(error.message || error); // a fault of the page: seen, not hidden
  });
}
