// The authority's review queue: pending submissions oldest first, the land each would change,
// shown on the map; approve, or reject with a reason.
import { api } from "../api.js";
import { area, day, kindName, plural, t } from "../i18n.js";
import { bounds, prepared, withToken } from "../maps.js";
import { esc, showError, toast } from "../ui.js";

export async function render(main) {
  main.innerHTML = `
    <h1>${esc(t("review.title"))}</h1>
    <div class="map-layout">
      <div id="review-map" class="map" role="region" aria-label="${esc(t("review.map"))}"></div>
      <section class="panel" id="queue" aria-live="polite"></section>
    </div>`;
  const style = await api("/ogc/styles/land-release");
  // The official land around each submission, as today, with the submissions over it.
  const map = new maplibregl.Map({
    container: "review-map", style: prepared(style), center: [104, 18], zoom: 5,
    attributionControl: false, transformRequest: withToken,
  });
  window.landreleaseMap = map; // for automation
  map.addControl(new maplibregl.NavigationControl(), "top-right");
  const loaded = new Promise((resolve) => map.on("load", resolve));
  await loaded;
  map.addSource("pending", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({ id: "pending-fill", type: "fill", source: "pending",
    paint: { "fill-color": ["case", ["get", "selected"], "#0b5394", "#7a4fa3"], "fill-opacity": 0.45 } });
  map.addLayer({ id: "pending-line", type: "line", source: "pending",
    paint: { "line-color": "#2d1b4e", "line-width": 2 } });
  // The land an upload would change, each piece in the colour of the state it would be in.
  const colours = style.metadata.legend;
  map.addSource("upload-preview", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({ id: "upload-preview-fill", type: "fill", source: "upload-preview",
    paint: { "fill-color": ["match", ["get", "state"], ...Object.entries(colours).flat(), "#888"], "fill-opacity": 0.8 } });
  map.addLayer({ id: "upload-preview-line", type: "line", source: "upload-preview",
    paint: { "line-color": "#111", "line-width": 1.5 } });
  await refresh(main, map);
  return () => {
    map.remove();
    delete window.landreleaseMap;
  };
}

async function refresh(main, map) {
  const box = main.querySelector("#queue");
  let queue;
  let uploads;
  try {
    [queue, uploads] = await Promise.all([api("/api/v1/review"), api("/api/v1/review/uploads")]);
  } catch (error) {
    showError(box, error);
    return;
  }
  map.getSource("upload-preview").setData({ type: "FeatureCollection", features: [] });
  const items = queue.items;
  const features = items.map((item, i) => ({
    type: "Feature", geometry: JSON.parse(item.geometry), properties: { index: i, selected: false },
  }));
  map.getSource("pending").setData({ type: "FeatureCollection", features });
  // A polygon thinner than the grid it is drawn on comes without geometry.
  const all = features.filter((f) => f.geometry).map((f) => bounds(f.geometry));
  if (all.length) {
    map.fitBounds([
      [Math.min(...all.map((b) => b[0][0])), Math.min(...all.map((b) => b[0][1]))],
      [Math.max(...all.map((b) => b[1][0])), Math.max(...all.map((b) => b[1][1]))],
    ], { padding: 60, maxZoom: 14, animate: false });
  }
  if (!items.length) {
    box.innerHTML = `<p data-queue-empty="true">${esc(t("review.empty"))}</p>`;
    return;
  }
  box.innerHTML = uploadsSection(uploads.uploads) +
    `<h2>${esc(t("review.one_by_one"))}</h2><p>${esc(plural("review.count", items.length))}</p>` + items.map((item, i) => `
    <article class="review-item" data-index="${i}" data-type="${esc(item.type)}" data-id="${esc(item.id)}">
      <h2>${esc(item.type === "hazard" ? t("review.hazard", { reference: item.id }) : t("review.event", { id: item.id, reference: item.hazard_reference }))}</h2>
      <p>${esc(kindName(item.kind))} · ${esc(day(item.date))} · ${esc(item.organisation || "—")} · ${esc(item.recorded_by || "—")}</p>
      <p>${esc(t("review.would_change", { area: area(item.would_change_m2) }))}
        ${Object.entries(item.effect_m2).map(([flow, m2]) => `<br>${esc(t(`flow.${flow}`))}: ${esc(area(m2))}`).join("")}</p>
      <div class="controls">
        <button type="button" data-action="show">${esc(t("review.show"))}</button>
        <button type="button" class="primary" data-action="approve">${esc(t("review.approve"))}</button>
        <label>${esc(t("review.reason"))}<input data-reason size="24"></label>
        <button type="button" class="danger" data-action="reject">${esc(t("review.reject"))}</button>
      </div>
    </article>`).join("");
  box.querySelectorAll(".review-upload").forEach((article) => wireUpload(main, map, article));
  box.querySelectorAll(".review-item[data-index]").forEach((article) => {
    const item = items[Number(article.dataset.index)];
    const path = `/api/v1/review/${item.type}s/${encodeURIComponent(item.id)}`;
    article.querySelector('[data-action="show"]').addEventListener("click", () => {
      box.querySelectorAll(".review-item").forEach((a) => a.removeAttribute("aria-current"));
      article.setAttribute("aria-current", "true");
      features.forEach((f, i) => (f.properties.selected = i === Number(article.dataset.index)));
      map.getSource("pending").setData({ type: "FeatureCollection", features });
      const { geometry } = features[Number(article.dataset.index)];
      if (geometry) map.fitBounds(bounds(geometry), { padding: 60, maxZoom: 15 });
    });
    article.querySelector('[data-action="approve"]').addEventListener("click", async () => {
      try {
        await api(`${path}/approve`, { method: "POST" });
        toast(t("review.approved"));
        await refresh(main, map);
      } catch (error) {
        showError(article, error);
      }
    });
    article.querySelector('[data-action="reject"]').addEventListener("click", async () => {
      const reason = article.querySelector("[data-reason]").value.trim();
      if (!reason) {
        article.querySelector("[data-reason]").focus();
        toast(t("review.reason_needed"));
        return;
      }
      try {
        await api(`${path}/reject`, { method: "POST", json: { reason } });
        toast(t("review.rejected"));
        await refresh(main, map);
      } catch (error) {
        showError(article, error);
      }
    });
  });
}

// Uploads with facts awaiting review: each previewed, approved or rejected as a whole.
function uploadsSection(uploads) {
  if (!uploads.length) return "";
  return `<h2>${esc(t("review.uploads"))}</h2>` + uploads.map((u) => `
    <article class="review-item review-upload" data-upload="${u.id}">
      <h3>${esc(u.file_name)}</h3>
      <p>${esc(t(`upload.target_${u.target}`))} · ${esc(u.organisation || "—")} · ${esc(u.recorded_by || "—")} · ${esc(day(u.recorded_at))}</p>
      <p>${esc(plural("review.upload_pending", u.pending, { area: area(u.requested_m2) }))}</p>
      ${u.edit_of ? `<p class="note" data-edit-of="${u.edit_of}">${esc(t("review.edit_of", { id: u.edit_of }))}</p>` : ""}
      ${u.waiting_for.length ? `<p class="note" data-waiting>${esc(t("review.waiting_for", { references: u.waiting_for.join(", ") }))}</p>` : ""}
      <div class="preview" data-preview aria-live="polite"></div>
      <div class="controls">
        <button type="button" data-action="preview">${esc(t("review.preview"))}</button>
        <button type="button" class="primary" data-action="approve-upload"${u.waiting_for.length ? " disabled" : ""}>${esc(t("review.approve_all"))}</button>
        <label>${esc(t("review.reason"))}<input data-reason size="24"></label>
        <button type="button" class="danger" data-action="reject-upload">${esc(t("review.reject_all"))}</button>
      </div>
    </article>`).join("");
}

function wireUpload(main, map, article) {
  const path = `/api/v1/review/uploads/${article.dataset.upload}`;
  const buttons = () => article.querySelectorAll("button");
  article.querySelector('[data-action="preview"]').addEventListener("click", async () => {
    try {
      const shown = await api(`${path}/preview`);
      const rows = [["SHA", "sha_m2"], ["CHA", "cha_m2"], ["remaining", "remaining_m2"]].map(([label, key]) =>
        `<tr><th scope="row">${esc(label === "remaining" ? t("dashboard.total") : label)}</th>
          <td class="num" data-before="${key}">${esc(area(shown.before[key]))}</td>
          <td class="num" data-after="${key}" data-value="${shown.after[key]}">${esc(area(shown.after[key]))}</td></tr>`).join("");
      const changes = Object.entries(shown.change_m2).filter(([, m2]) => Math.abs(m2) >= 0.5)
        .map(([flow, m2]) => `${t(`flow.${flow}`)}: ${area(m2)}`).join(" · ");
      article.querySelector("[data-preview]").innerHTML = `
        <p class="note">${esc(t("review.preview_caption", { date: day(shown.as_of) }))}</p>
        <div class="table-wrap"><table>
          <thead><tr><th></th><th class="num">${esc(t("review.before"))}</th><th class="num">${esc(t("review.after"))}</th></tr></thead>
          <tbody>${rows}</tbody></table></div>
        <p data-change>${esc(changes || t("review.no_change"))}</p>`;
      map.getSource("upload-preview").setData(shown.land);
      const all = shown.land.features.map((f) => bounds(f.geometry));
      if (all.length) {
        map.fitBounds([
          [Math.min(...all.map((b) => b[0][0])), Math.min(...all.map((b) => b[0][1]))],
          [Math.max(...all.map((b) => b[1][0])), Math.max(...all.map((b) => b[1][1]))],
        ], { padding: 60, maxZoom: 15 });
      }
    } catch (error) {
      showError(article.querySelector("[data-preview]"), error);
    }
  });
  article.querySelector('[data-action="approve-upload"]').addEventListener("click", async () => {
    buttons().forEach((b) => (b.disabled = true));
    try {
      const done = await api(`${path}/approve`, { method: "POST" });
      toast(plural("review.upload_approved", done.approved));
      await refresh(main, map);
    } catch (error) {
      buttons().forEach((b) => (b.disabled = false));
      showError(article.querySelector("[data-preview]"), error);
    }
  });
  article.querySelector('[data-action="reject-upload"]').addEventListener("click", async () => {
    const reason = article.querySelector("[data-reason]").value.trim();
    if (!reason) {
      article.querySelector("[data-reason]").focus();
      toast(t("review.reason_needed"));
      return;
    }
    buttons().forEach((b) => (b.disabled = true));
    try {
      const done = await api(`${path}/reject`, { method: "POST", json: { reason } });
      toast(plural("review.upload_rejected", done.rejected));
      await refresh(main, map);
    } catch (error) {
      buttons().forEach((b) => (b.disabled = false));
      showError(article.querySelector("[data-preview]"), error);
    }
  });
}
