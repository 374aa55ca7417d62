// The map: land in the land-release colours as of a date over the regions (all drawn from
// the service's own vector tiles), and a panel with a hazard's figures and timeline.
import { api, can, request } from "../api.js";
import { area, day, kindName, t } from "../i18n.js";
import { addBasemap } from "../basemap.js";
import { addHazardSymbols, loadHazardSymbols, onSymbolClick } from "../hazard_symbols.js";
import { bounds, ignoreAborts, LAND_LAYERS, prepared, SOURCE, tileUrl, withToken } from "../maps.js";
import { busy, esc, showError, statusBadge, today } from "../ui.js";

const FALLBACK_BOUNDS = [100.0, 13.9, 107.7, 22.5];

export async function render(main) {
  main.innerHTML = `
    <h1>${esc(t("map.title"))}</h1>
    <form class="controls" id="map-form">
      <label>${esc(t("common.as_of"))}<input type="date" id="map-as-of" value="${today()}" required></label>
      <label>${esc(t("map.find_hazard"))}<input id="find-reference" autocomplete="off"></label>
      <button type="submit">${esc(t("map.show"))}</button>
      <span id="map-totals" class="note" aria-live="polite"></span>
    </form>
    <div class="legend" id="legend"></div>
    <p class="note" id="basemap-note"></p>
    <div class="map-layout">
      <div id="map" role="region" aria-label="${esc(t("map.title"))}"></div>
      <aside class="panel" id="hazard-panel" aria-live="polite">
        <p class="note">${esc(can("read") ? t("map.click_hint") : t("map.sign_in_hint"))}</p>
      </aside>
    </div>`;
  // Enter in the form never reloads the page, even before the map exists: a hazard asked
  // for then is opened once the map has loaded.
  let map = null;
  let asked = "";
  main.querySelector("#map-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const reference = main.querySelector("#find-reference").value.trim();
    if (!reference || !can("read")) return;
    if (map) openHazard(main, map, reference, main.querySelector("#map-as-of").value, true);
    else asked = reference;
  });
  const style = await api("/ogc/styles/land-release");
  main.querySelector("#legend").innerHTML = Object.entries(style.metadata.legend)
    .map(([state, colour]) => `<span><span class="swatch" style="background:${colour}"></span>${esc(t(`state.${state}`))}</span>`)
    .join("") +
    `<span><span class="swatch" style="width:3rem;background:linear-gradient(90deg,${style.metadata.region_shades
      .map(([, colour]) => colour).join(",")})"></span>${esc(t("map.shade_legend"))}</span>` +
    (can("read") ? `<span><span class="dot" style="background:${style.metadata.legend.SHA}"></span><span class="dot big"
      style="background:${style.metadata.legend.CHA}"></span>${esc(t("map.symbols_legend"))}</span>` : "");
  const asOf = main.querySelector("#map-as-of");
  map = new maplibregl.Map({
    container: "map",
    style: prepared(style, asOf.value),
    bounds: await extent(),
    fitBoundsOptions: { padding: 20 },
    attributionControl: false,
    transformRequest: withToken,
  });
  window.landreleaseMap = map; // for automation (the browser tests read pixels through it)
  map.addControl(new maplibregl.NavigationControl(), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));
  const markers = [];
  let unlabel = () => {};
  ignoreAborts(map, main.querySelector("#map-totals"));
  map.on("load", async () => {
    unlabel = await addBasemap(map, main.querySelector("#basemap-note"));
    if (can("read")) {
      addHazardSymbols(map, style.metadata.legend);
      onSymbolClick(map, (reference) => openHazard(main, map, reference, asOf.value));
      await busy(main.querySelector("#map-totals"), loadHazardSymbols(map, asOf.value));
    }
    map.addSource("highlight", { type: "geojson", data: empty() });
    map.addLayer({ id: "highlight-fill", type: "fill", source: "highlight",
      paint: { "fill-color": "#0b5394", "fill-opacity": 0.1 } }); // light: the land keeps its colour
    map.addLayer({ id: "highlight-line", type: "line", source: "highlight",
      paint: { "line-color": "#0b5394", "line-width": 3 } });
    markers.push(...(await regionLabels(map)));
    // A link to a hazard (#/map?hazard=REF, from the data-quality page) opens it.
    const linked = new URLSearchParams(location.hash.split("?")[1] || "").get("hazard");
    if (linked && can("read")) {
      main.querySelector("#find-reference").value = linked;
      await openHazard(main, map, linked, asOf.value, true);
    } else if (asked && can("read")) {
      await openHazard(main, map, asked, asOf.value, true);
    }
    main.dataset.mapReady = "true";
  });
  map.on("idle", () => {
    main.dataset.mapIdle = String(Date.now());
  });
  if (can("read")) {
    map.on("click", LAND_LAYERS, (event) => {
      const feature = event.features && event.features[0];
      if (feature) openHazard(main, map, feature.properties.hazard, asOf.value);
    });
    map.on("mouseenter", LAND_LAYERS, () => (map.getCanvas().style.cursor = "pointer"));
    map.on("mouseleave", LAND_LAYERS, () => (map.getCanvas().style.cursor = ""));
  }
  const totals = async () => {
    const box = main.querySelector("#map-totals");
    const figures = await busy(box, api(`/api/v1/totals?as_of=${asOf.value}`));
    box.innerHTML =
      `<span data-figure="map-remaining" data-value="${figures.remaining_m2}">${esc(
        t("map.totals", { sha: area(figures.sha_m2), cha: area(figures.cha_m2) }))}</span>
      <span class="scope" data-scope="all">${esc(t("scope.all_as_of", { date: day(asOf.value) }))}</span>`;
  };
  asOf.addEventListener("change", async () => {
    map.getSource(SOURCE).setTiles([tileUrl(asOf.value)]);
    if (can("read")) await busy(main.querySelector("#map-totals"), loadHazardSymbols(map, asOf.value));
    await totals();
    const open = main.querySelector("#hazard-panel").dataset.reference;
    if (open) openHazard(main, map, open, asOf.value);
  });
  await totals();
  return () => {
    markers.forEach((marker) => marker.remove());
    unlabel();
    map.remove();
    delete window.landreleaseMap;
  };
}

async function extent() {
  try {
    const regions = await api("/ogc/collections/regions");
    const box = regions.extent.spatial.bbox[0];
    return [[box[0], box[1]], [box[2], box[3]]];
  } catch {
    return [[FALLBACK_BOUNDS[0], FALLBACK_BOUNDS[1]], [FALLBACK_BOUNDS[2], FALLBACK_BOUNDS[3]]];
  }
}

// Province names as HTML labels: no font files are needed, so they work offline.
async function regionLabels(map) {
  const page = await api("/ogc/collections/regions/items?limit=500&filter=level%3D1");
  return page.features.map((feature) => {
    const label = document.createElement("div");
    label.className = "region-label";
    label.textContent = feature.properties.name;
    return new maplibregl.Marker({ element: label })
      .setLngLat([feature.properties.label_lon, feature.properties.label_lat])
      .addTo(map);
  });
}

function empty() {
  return { type: "FeatureCollection", features: [] };
}

function highlight(map, geometry) {
  const source = map.getSource("highlight");
  if (source) source.setData(geometry ? { type: "Feature", geometry, properties: {} } : empty());
}

async function openHazard(main, map, reference, asOf, fly = false) {
  const panel = main.querySelector("#hazard-panel");
  panel.dataset.reference = reference;
  try {
    const ref = encodeURIComponent(reference);
    const [hazard, timeline, lineage] = await Promise.all([
      api(`/api/v1/hazards/${ref}?as_of=${asOf}`),
      api(`/api/v1/hazards/${ref}/events`),
      api(`/api/v1/hazards/${ref}/lineage`),
    ]);
    // Land that went to or came from other hazards (not land new to every hazard).
    const moved = lineage.entries.filter((m) => m.other_hazard !== null);
    const p = hazard.properties;
    const currentClass = p.cha_m2 > 0 ? "CHA" : p.sha_m2 > 0 ? "SHA" : "released";
    const events = timeline.features;
    panel.innerHTML = `
      <h2 id="panel-title">${esc(p.reference)}</h2>
      <dl>
        <dt>${esc(t("common.class"))}</dt><dd data-field="class">${esc(t(`state.${currentClass}`))}</dd>
        <dt>${esc(t("map.remaining"))}</dt><dd data-field="remaining" data-value="${p.remaining_m2}">${esc(area(p.remaining_m2))}</dd>
        <dt>${esc(t("common.contamination"))}</dt><dd>${esc(p.contamination)}</dd>
        <dt>${esc(t("common.munitions"))}</dt><dd>${esc((p.munitions || []).join(", ") || "—")}</dd>
        <dt>${esc(t("common.recorded_on"))}</dt><dd>${esc(day(p.recorded_on))}</dd>
        ${p.status !== "approved" ? `<dt>${esc(t("map.status"))}</dt><dd data-field="status">${statusBadge(p.status)}${p.review_reason ? ` ${esc(p.review_reason)}` : ""}</dd>` : ""}
      </dl>
      ${photoList(p)}
      <h3>${esc(t("map.timeline"))}</h3>
      <ol class="timeline" id="timeline">${timelineEntries(events, timeline.records_here || [])}</ol>
      ${moved.length ? `<h3>${esc(t("map.lineage"))}</h3>
      <ul class="lineage" id="lineage">${moved.map((m) => `
        <li><strong>${esc(day(m.on))}</strong> · ${esc(t(m.gained ? "map.lineage_gained" : "map.lineage_lost", {
          area: area(m.area_m2), other: m.other_hazard,
          from: t(`state.${m.from_state}`), to: t(`state.${m.to_state}`),
        }))}</li>`).join("")}</ul>` : ""}`;
    showPhotos(panel).catch(() => null); // a photo that cannot be read stays a link
    highlight(map, hazard.geometry);
    if (fly && hazard.geometry) map.fitBounds(bounds(hazard.geometry), { padding: 60, maxZoom: 15 });
    panel.querySelectorAll("#timeline button").forEach((button) => {
      button.addEventListener("click", () => {
        panel.querySelectorAll("#timeline button").forEach((b) => b.setAttribute("aria-pressed", "false"));
        button.setAttribute("aria-pressed", "true");
        const event = events[Number(button.dataset.index)];
        highlight(map, event.geometry);
        if (event.geometry) map.fitBounds(bounds(event.geometry), { padding: 60, maxZoom: 16 });
      });
    });
  } catch (error) {
    showError(panel, error);
  }
}

// The hazard's events and, by date among them, the records of other hazards that took its land.
function timelineEntries(events, records) {
  const entries = events.map((e, i) => ({ date: e.properties.date, html: timelineEntry(e.properties, i) }));
  records.forEach((r) => {
    const at = entries.findIndex((entry) => entry.date > r.date);
    const entry = { date: r.date, html: recordEntry(r) };
    if (at < 0) entries.push(entry);
    else entries.splice(at, 0, entry);
  });
  return entries.map((entry) => entry.html).join("");
}

// Another hazard's record that took this hazard's land (a CHA recorded over its SHA, say).
function recordEntry(r) {
  return `
    <li class="from-other" data-from="${esc(r.hazard_reference)}">
      <strong>${esc(day(r.date))}</strong> · ${esc(t("map.record_of_other", { class: r.hazard_class }))}<br>
      <span data-field="taken-by-record">${esc(t("map.taken_by_record", {
        reference: r.hazard_reference, area: area(r.changed_here_m2),
      }))}</span>
    </li>`;
}

// An entry of a hazard's timeline. Submissions not (or not yet) official say so, with the
// reason of a rejection or withdrawal, and the area they ask for: they changed no land.
function timelineEntry(e, i) {
  const official = e.status === "approved";
  const areaLine = official
    ? area(e.effective_m2)
    : t("map.requested", { area: area(e.requested_m2) });
  const status = official ? "" : ` ${statusBadge(e.status)}`;
  const reason = !official && e.review_reason ? `<br><span class="note" data-reason>${esc(t("map.reason", { reason: e.review_reason }))}</span>` : "";
  // Another hazard's fact that changed this hazard's land says so, with the land it took.
  const line = e.changed_here_m2 === null || e.changed_here_m2 === undefined
    ? `${esc(areaLine)} · ${esc(e.operator || "—")}`
    : `<span data-field="changed-by">${esc(t("map.changed_by", {
      kind: kindName(e.kind), reference: e.hazard_reference, area: area(e.changed_here_m2),
    }))}</span>`;
  return `
    <li${official ? "" : ' class="unofficial"'} data-status="${esc(e.status)}"><button type="button" data-index="${i}" aria-pressed="false">
      <strong>${esc(day(e.date))}</strong> · ${esc(kindName(e.kind))}${status}
      ${e.voided ? `(${esc(t("map.voided"))})` : ""}<br>
      ${line}${reason}
    </button>${photoList(e)}</li>`;
}

// The photos a phone sent with an entry: thumbnails that open the photo. They are read with
// the caller's token (an <img> cannot send it), so the service's rules decide who sees them.
function photoList(e) {
  if (!e.photos || !e.photos.length) return "";
  const links = e.photos.map((p) => `<a href="#" data-photo="${esc(p.href)}" target="_blank" rel="noopener">
      <img alt="${esc(t("map.photo", { name: p.name }))}" width="64" height="64"></a>`);
  return `<div class="photos" role="group" aria-label="${esc(t("map.photos"))}">${links.join("")}</div>`;
}

const photoUrls = [];

async function showPhotos(panel) {
  // The thumbnails of the hazard shown before are let go.
  photoUrls.splice(0).forEach((url) => URL.revokeObjectURL(url));
  await Promise.all([...panel.querySelectorAll("[data-photo]")].map(async (link) => {
    const response = await request(link.dataset.photo);
    if (!response.ok) return;
    const url = URL.createObjectURL(await response.blob());
    photoUrls.push(url);
    link.href = url;
    link.querySelector("img").src = url;
  }));
}
