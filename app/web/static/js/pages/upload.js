// Field files in: choose or drop a file, map its fields, check it (dry run), read the report
// (refused features first, each on a small map), then apply.
import { ApiError, api, request } from "../api.js";
import { area, number, plural, t, termOr } from "../i18n.js";
import { esc, showError, table, toast, told, withHint } from "../ui.js";

const PROPERTIES = {
  hazards: ["reference", "hazard_class", "contamination", "recorded_on", "munitions", "region", "notes"],
  events: ["hazard", "kind", "date", "operator", "method", "items", "report_ref"],
  regions: ["code", "name", "level", "parent_code"],
};
// The properties whose values are words of ours: a file's own words are mapped to them.
const CHOICES = {
  hazard_class: ["SHA", "CHA"],
  contamination: ["CMR", "AP mine", "AT mine", "other ERW"],
  kind: ["confirm", "cancel", "reduce", "clear", "correct"],
};
const REQUIRED = {
  hazards: ["reference", "hazard_class", "contamination", "recorded_on"],
  events: ["hazard", "kind", "date"],
  regions: ["code", "name"],
};
let outline = null; // the country's provinces, for the small maps

export async function render(main) {
  main.innerHTML = `
    <h1>${esc(t("upload.title"))}</h1>
    <form id="upload-form" novalidate>
      <div class="dropzone" id="dropzone">
        <label>${esc(t("upload.file"))}
          <input type="file" id="file" accept=".zip,.geojson,.json,.geojsonl,.geojsons,.ndjson,.gpkg,.kml,.kmz,.fgb,.csv">
        </label>
        <p class="note">${esc(t("upload.drop_hint"))}</p>
      </div>
      <div class="controls">
        <label>${esc(t("upload.target"))}
          <select id="target">
            <option value="hazards">${esc(t("upload.target_hazards"))}</option>
            <option value="events">${esc(t("upload.target_events"))}</option>
            <option value="regions">${esc(t("upload.target_regions"))}</option>
          </select>
        </label>
        <label>${esc(t("upload.on_error"))}
          <select id="on-error">
            <option value="reject">${esc(t("upload.on_error_reject"))}</option>
            <option value="skip">${esc(t("upload.on_error_skip"))}</option>
          </select>
        </label>
        <label id="overshoot-choice" hidden>${esc(t("upload.overshoot"))}
          <select id="overshoot">
            <option value="">${esc(t("upload.overshoot_default"))}</option>
            <option value="refuse">${esc(t("upload.overshoot_refuse"))}</option>
            <option value="clip">${esc(t("upload.overshoot_clip"))}</option>
            <option value="keep">${esc(t("upload.overshoot_keep"))}</option>
          </select>
        </label>
        <label id="overlaps-choice">${esc(t("upload.overlaps"))}
          <select id="overlaps">
            <option value="warn">${esc(t("upload.overlaps_warn"))}</option>
            <option value="skip">${esc(t("upload.overlaps_skip"))}</option>
          </select>
        </label>
        <label>${esc(t("upload.crs"))}<input id="crs" placeholder="EPSG:32648"></label>
        <label style="flex-direction:row;align-items:center;gap:.4rem">
          <input type="checkbox" id="repair">${esc(t("upload.repair"))}</label>
      </div>
      <p id="overshoot-note" class="note" hidden></p>
      <label id="layer-choice" hidden>${esc(t("upload.layer"))}<select id="layer"></select></label>
      <p id="file-info" class="note" aria-live="polite"></p>
      <fieldset id="mapping" hidden><legend>${esc(t("upload.mapping"))}</legend><div id="mapping-rows" class="controls"></div></fieldset>
      <div id="value-maps"></div>
      <div class="controls">
        <button type="button" id="check" class="primary" disabled>${esc(t("upload.check"))}</button>
        <button type="button" id="apply" disabled>${esc(t("upload.apply"))}</button>
      </div>
    </form>
    <div id="report" aria-live="polite"></div>`;
  const state = { file: null, fields: [], layer: null, values: {}, found: {} };
  const overshootShown = () => {
    const events = main.querySelector("#target").value === "events";
    const chosen = main.querySelector("#overshoot").value;
    main.querySelector("#overshoot-choice").hidden = !events;
    main.querySelector("#overlaps-choice").hidden = main.querySelector("#target").value !== "hazards";
    const note = main.querySelector("#overshoot-note");
    note.hidden = !events;
    note.textContent = t(`upload.overshoot_note_${chosen || "default"}`);
  };
  main.querySelector("#target").addEventListener("change", overshootShown);
  main.querySelector("#overshoot").addEventListener("change", overshootShown);
  overshootShown();
  const fileInput = main.querySelector("#file");
  const zone = main.querySelector("#dropzone");
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    if (e.dataTransfer.files.length) chosen(main, state, e.dataTransfer.files[0]);
  });
  fileInput.addEventListener("change", () => fileInput.files.length && chosen(main, state, fileInput.files[0]));
  main.querySelector("#target").addEventListener("change", () => drawMapping(main, state));
  main.querySelector("#mapping-rows").addEventListener("change", () => drawValueMaps(main, state));
  main.querySelector("#layer").addEventListener("change", (e) => inspect(main, state, e.target.value || null));
  // A CRS typed in answers a file whose own the system cannot place precisely: look again.
  main.querySelector("#crs").addEventListener("change", () => state.file && inspect(main, state, state.layer));
  main.querySelector("#check").addEventListener("click", () => send(main, state, true));
  main.querySelector("#apply").addEventListener("click", () => send(main, state, false));
}

async function chosen(main, state, file) {
  state.file = file;
  main.querySelector("#layer-choice").hidden = true;
  await inspect(main, state, null);
}

// What the file holds (its layer `layer`, or the only one): its fields to map. A file with
// several layers and none chosen gets a choice of layer first.
async function inspect(main, state, layer) {
  state.layer = layer;
  main.querySelector("#apply").disabled = true;
  main.querySelector("#report").innerHTML = "";
  const info = main.querySelector("#file-info");
  const form = new FormData();
  form.append("file", state.file, state.file.name);
  if (layer) form.append("layer", layer);
  if (main.querySelector("#target").value === "hazards") form.append("overlaps", main.querySelector("#overlaps").value);
  const overshoot = main.querySelector("#overshoot").value;
  if (overshoot && main.querySelector("#target").value === "events") form.append("overshoot", overshoot);
  const crs = main.querySelector("#crs").value.trim();
  if (crs) form.append("crs", crs);
  try {
    const found = await api("/api/v1/imports/inspect", { method: "POST", form });
    if (found.layer === null) {
      const select = main.querySelector("#layer");
      select.innerHTML = [`<option value="">${esc(t("upload.layer_choose"))}</option>`]
        .concat(found.layers.map((name) => `<option value="${esc(name)}">${esc(name)}</option>`)).join("");
      main.querySelector("#layer-choice").hidden = false;
      state.fields = [];
      state.values = {};
      info.textContent = t("upload.layers_found", { name: found.file_name, count: number(found.layers.length) });
      main.querySelector("#mapping").hidden = true;
      main.querySelector("#check").disabled = true;
      return;
    }
    state.fields = found.fields;
    state.values = found.values || {};
    state.found = found.found_fields || {};
    info.textContent = plural("upload.file_info", found.features, {
      name: found.file_name, format: found.format, crs: found.crs || t("upload.crs_missing"),
    });
    if (found.transformation) info.textContent += ` ${t("upload.transformation", { text: found.transformation })}`;
    drawMapping(main, state);
    main.querySelector("#check").disabled = false;
  } catch (error) {
    info.innerHTML = `<span class="error" role="alert">${esc(told(error))}</span>`;
    main.querySelector("#check").disabled = true;
    if (error.field === "crs") {
      const box = main.querySelector("#crs");
      if (error.suggestions && error.suggestions.length) box.placeholder = error.suggestions[0];
      box.focus();
    }
  }
}

function drawMapping(main, state) {
  const target = main.querySelector("#target").value;
  const rows = main.querySelector("#mapping-rows");
  rows.innerHTML = PROPERTIES[target].map((name) => {
    const options = [`<option value="">${esc(t("upload.automatic"))}</option>`]
      .concat(state.fields.map((f) => `<option value="${esc(f)}">${esc(f)}</option>`)).join("");
    const required = REQUIRED[target].includes(name) ? " *" : "";
    return `<label>${esc(t(`property.${name}`))}${required}<select data-property="${name}">${options}</select></label>`;
  }).join("");
  main.querySelector("#mapping").hidden = !state.file;
  drawValueMaps(main, state);
}

// For each property whose values are words of ours, the words the file writes in the field
// that holds it, each with ours to take it as: the interface's own words are recognised,
// the others are chosen here.
function drawValueMaps(main, state) {
  const target = main.querySelector("#target").value;
  const box = main.querySelector("#value-maps");
  const sections = Object.entries(CHOICES)
    .filter(([name]) => PROPERTIES[target].includes(name))
    .map(([name, ours]) => {
      const chosen = main.querySelector(`#mapping-rows select[data-property="${name}"]`);
      const field = (chosen && chosen.value) || (state.found[target] || {})[name];
      const found = (field && state.values[field]) || [];
      if (!found.length) return "";
      const rows = found.map((value) => {
        const guess = recognised(name, value, ours);
        const options = [`<option value="">${esc(t("upload.value_as_written"))}</option>`]
          .concat(ours.map((o) => `<option value="${esc(o)}"${o === guess ? " selected" : ""}>${esc(choiceName(name, o))}</option>`)).join("");
        return `<label>${esc(value)}<select data-value-of="${name}" data-file-value="${esc(value)}">${options}</select></label>`;
      }).join("");
      return `<fieldset class="value-map" data-property="${name}"><legend>${esc(t("upload.values_of", { field, property: t(`property.${name}`) }))}</legend><div class="controls">${rows}</div></fieldset>`;
    });
  box.innerHTML = sections.join("");
}

// Ours for a file's word: ours in any letter case, or the interface's name for it.
function recognised(name, value, ours) {
  const word = value.trim().toLowerCase();
  return ours.find((o) => o.toLowerCase() === word || choiceName(name, o).toLowerCase() === word) || "";
}

function choiceName(name, value) {
  return name === "kind" ? t(`kind.${value}`) : value;
}

function valueMaps(main) {
  const values = {};
  main.querySelectorAll("#value-maps select").forEach((select) => {
    if (!select.value || select.value === select.dataset.fileValue) return;
    (values[select.dataset.valueOf] ||= {})[select.dataset.fileValue] = select.value;
  });
  return values;
}

// The programme's own boundaries: they replace the regions as a whole (no dry run).
async function sendRegions(main, state, report) {
  const form = new FormData();
  form.append("file", state.file, state.file.name);
  const crs = main.querySelector("#crs").value.trim();
  if (crs) form.append("crs", crs);
  if (state.layer) form.append("layer", state.layer);
  form.append("mapping", JSON.stringify(chosenMapping(main)));
  report.innerHTML = `<p class="note">${esc(t("upload.working"))}</p>`;
  const response = await request("/api/v1/regions", { method: "POST", form });
  const body = await response.json();
  if (!response.ok) {
    showError(report, new Error(body.detail || response.statusText));
    return;
  }
  report.innerHTML = `<p data-status="regions-loaded">${esc(t("upload.regions_loaded", {
    count: number(body.regions), levels: body.levels.join(", "),
  }))}</p>`;
}

function chosenMapping(main) {
  const mapping = {};
  main.querySelectorAll("#mapping-rows select").forEach((select) => {
    if (select.value) mapping[select.dataset.property] = select.value;
  });
  return mapping;
}

async function send(main, state, dryRun) {
  const check = main.querySelector("#check");
  const apply = main.querySelector("#apply");
  // One request at a time: a second click while one runs sends nothing.
  if (state.sending) return;
  state.sending = true;
  check.disabled = apply.disabled = true;
  try {
    await sendOnce(main, state, dryRun);
  } finally {
    state.sending = false;
    check.disabled = false;
  }
}

async function sendOnce(main, state, dryRun) {
  const report = main.querySelector("#report");
  if (main.querySelector("#target").value === "regions") {
    if (!dryRun) await sendRegions(main, state, report);
    else report.innerHTML = `<p class="note">${esc(t("upload.regions_note"))}</p>`;
    main.querySelector("#apply").disabled = false;
    return;
  }
  const form = new FormData();
  form.append("file", state.file, state.file.name);
  form.append("target", main.querySelector("#target").value);
  form.append("on_error", main.querySelector("#on-error").value);
  form.append("dry_run", String(dryRun));
  form.append("repair", String(main.querySelector("#repair").checked));
  const crs = main.querySelector("#crs").value.trim();
  if (crs) form.append("crs", crs);
  if (state.layer) form.append("layer", state.layer);
  const mapping = {};
  main.querySelectorAll("#mapping-rows select").forEach((select) => {
    if (select.value) mapping[select.dataset.property] = select.value;
  });
  form.append("mapping", JSON.stringify(mapping));
  form.append("values", JSON.stringify(valueMaps(main)));
  report.innerHTML = `<p class="note">${esc(t("upload.working"))}</p>`;
  const response = await request("/api/v1/imports", { method: "POST", form });
  const body = await response.json().catch(() => ({}));
  if (!("status" in body)) {
    showError(report, new ApiError(response.status, body));
    return;
  }
  await drawReport(report, body);
  main.querySelector("#apply").disabled = !(dryRun && body.accepted > 0 && (body.rejected === 0 || main.querySelector("#on-error").value === "skip"));
  if (!dryRun && body.status === "applied") toast(outcome(body));
}

// What an import did, in the words of what happens next: sent for the authority's review
// (nothing changes in the figures until it approves), or official at once.
function outcome(report) {
  const pending = report.pending || 0;
  const official = report.accepted - pending;
  const parts = [];
  if (report.status === "dry run") {
    if (pending) parts.push(plural("upload.would_send", pending, { area: area(report.pending_requested_m2) }));
    if (official) parts.push(plural("upload.would_record", official));
  } else if (report.status === "applied") {
    if (pending) parts.push(plural("upload.sent", pending, { area: area(report.pending_requested_m2) }));
    if (official) parts.push(plural("upload.recorded", official));
  }
  return parts.join(" ");
}

async function drawReport(box, report) {
  if (!outline) outline = await api("/ogc/collections/regions/items?limit=500&filter=level%3D1").catch(() => null);
  const sent = report.status === "applied" && report.pending > 0;
  const summary = t("upload.summary", {
    status: t(`upload.status.${report.status.replace(" ", "_")}`),
    read: number(report.features_read), accepted: number(report.accepted), rejected: number(report.rejected),
  }) + (report.warned || report.skipped?.length
    ? ` · ${t("upload.overlap_summary", { warned: number(report.warned || 0), skipped: number(report.skipped?.length || 0) })}`
    : "");
  const problems = report.problems.map((p) => [
    p.index, p.reference || "—", p.field ? termOr(`property.${p.field}`, p.field) : "—",
    withHint(p.message, p.hint, p.params),
    { html: minimap(p.lon, p.lat) },
  ]);
  // Hazards over land already recorded: imported with their warning, or left out.
  const skipped = (report.skipped || []).map((s) => [
    s.index, s.reference || "—", "", `${t("upload.skipped_row")}: ${s.message}`, { html: "" }, "", "", "",
  ]);
  const accepted = (report.accepted_features || []).map((a) => [
    a.index, a.reference || a.hazard || a.id || "—", "",
    a.warning ? `${t("upload.warned_row")}: ${a.warning.message}` : t("upload.accepted_row"),
    { html: "" }, area(a.requested_m2), a.clipped_m2 ? area(a.clipped_m2) : "",
    area(a.effective_m2 ?? a.discovered_m2 ?? a.requested_m2),
  ]);
  const headers = [
    { label: t("upload.col_index"), num: true }, t("upload.col_reference"), t("upload.col_field"),
    t("upload.col_message"), t("upload.col_where"),
    { label: t("upload.col_requested"), num: true }, { label: t("upload.col_clipped"), num: true },
    // What a feature awaiting review would change once approved: it has changed nothing yet.
    { label: t(report.pending ? "upload.col_would_change" : "upload.col_effective"), num: true },
  ];
  const rows = [...problems.map((r) => [...r, "", "", ""]), ...skipped, ...accepted];
  box.innerHTML = `<h2>${esc(t("upload.report"))}</h2>
    <p data-status="${esc(report.status)}">${esc(summary)}</p>
    ${outcome(report) ? `<p id="outcome" data-pending="${report.pending || 0}">${esc(outcome(report))}${sent ? ` <a href="#/submissions">${esc(t("upload.follow"))}</a>` : ""}</p>` : ""}
    ${report.transformation ? `<p class="note" id="transformation">${esc(t("upload.transformation", { text: report.transformation }))}</p>` : ""}
    ${report.detail ? `<p class="error" role="alert">${esc(report.detail)}</p>` : ""}
    ${table(headers, rows, { caption: t("upload.report"), rowClass: (i) => (i < problems.length ? "rejected" : "") })}`;
}

// Where a refused feature is: a dot on the outline of the country (SVG, no tiles needed).
function minimap(lon, lat) {
  if (lon === undefined || !outline || !outline.features.length) return "—";
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const rings = [];
  for (const feature of outline.features) {
    const polygons = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    for (const polygon of polygons) {
      rings.push(polygon[0]);
      for (const [x, y] of polygon[0]) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
    }
  }
  const sx = (x) => (((x - x0) / (x1 - x0)) * 110 + 5).toFixed(1);
  const sy = (y) => (((y1 - y) / (y1 - y0)) * 80 + 5).toFixed(1);
  const paths = rings.map((ring) => `M${ring.filter((_, i) => i % 4 === 0).map(([x, y]) => `${sx(x)},${sy(y)}`).join("L")}Z`).join("");
  return `<svg class="minimap" viewBox="0 0 120 90" role="img" aria-label="${esc(t("upload.where", { lon: lon.toFixed(5), lat: lat.toFixed(5) }))}">
    <path d="${paths}" fill="#fff" stroke="#777" stroke-width=".5"/>
    <circle cx="${sx(lon)}" cy="${sy(lat)}" r="3.5" fill="#d00" stroke="#fff"/></svg>
    <div class="note">${lon.toFixed(5)}, ${lat.toFixed(5)}</div>`;
}
