// The authority's data-quality page: one section per check with its count, a table whose rows
// open the hazard on the map, and the whole list as CSV or XLSX.
import { api, download } from "../api.js";
import { area, day, kindName, number, t, termOr } from "../i18n.js";
import { busy, esc, showError, table } from "../ui.js";

const SHOWN = 200; // entries of each check in the page; the downloads have them all

// The columns of each check's table: the entry's key, its header, how a value is written.
const PAIR = [["reference", "reference"], ["other_reference", "other_reference"], ["area_m2", "overlap_m2"], ["share", "share"]];
const COLUMNS = {
  duplicate: PAIR,
  contained: PAIR,
  overlap: PAIR,
  not_mapped: [["reference", "reference"], ["area_m2", "declared_m2"], ["on", "recorded_on"], ["detail", "detail"]],
  geometry_fixes: [["import_id", "upload"], ["file_name", "file"], ["on", "uploaded_on"], ["feature_index", "feature"],
    ["reference", "reference"], ["detail", "detail"]],
  overshoot: [["reference", "reference"], ["event_id", "event"], ["on", "event_date"], ["area_m2", "outside_m2"],
    ["share", "share"], ["detail", "detail"]],
  stale: [["reference", "reference"], ["on", "latest_fact"], ["area_m2", "remaining_m2"]],
  outside_regions: [["reference", "reference"], ["area_m2", "outside_regions_m2"], ["share", "share"]],
};
const NUMERIC = new Set(["area_m2", "share", "import_id", "event_id", "feature_index"]);
// Hazards that exist on the map: a refused feature or a record without a polygon has none.
const MAPPED = (check, entry) => check !== "not_mapped" && !(check === "geometry_fixes" && entry.detail !== "repaired");

export async function render(main) {
  main.innerHTML = `
    <h1>${esc(t("quality.title"))}</h1>
    <p class="note" id="quality-settings"></p>
    <p class="controls">
      <button type="button" id="quality-csv">${esc(t("quality.download_csv"))}</button>
      <button type="button" id="quality-xlsx">${esc(t("quality.download_xlsx"))}</button>
    </p>
    <div id="quality" aria-live="polite"></div>`;
  const box = main.querySelector("#quality");
  main.querySelector("#quality-csv").addEventListener("click", () =>
    download("/api/v1/data-quality?format=csv", "data-quality.zip").catch((e) => showError(box, e)));
  main.querySelector("#quality-xlsx").addEventListener("click", () =>
    download("/api/v1/data-quality?format=xlsx", "data-quality.xlsx").catch((e) => showError(box, e)));
  let found;
  try {
    found = await busy(box, api(`/api/v1/data-quality?limit=${SHOWN}`));
  } catch (error) {
    showError(box, error);
    return;
  }
  const s = found.settings;
  main.querySelector("#quality-settings").textContent = t("quality.settings", {
    tolerance: number(s.tolerance_m * 100), overlap: area(s.overlap_min_m2), contained: number(s.contained_share * 100),
    share: number(s.overshoot_share * 100), outside: area(s.overshoot_m2), years: s.stale_years,
  });
  box.innerHTML = found.checks.map(section).join("");
}

function section(check) {
  const columns = COLUMNS[check.check];
  const headers = columns.map(([key, label]) => ({ label: t(`quality.column.${label}`), num: NUMERIC.has(key) }));
  const rows = check.entries.map((entry) => columns.map(([key]) => cell(check.check, entry, key)));
  const more = check.count > check.entries.length
    ? `<p class="note">${esc(t("quality.more", { shown: check.entries.length, count: check.count }))}</p>` : "";
  return `
    <section class="quality-check" data-check="${esc(check.check)}" data-count="${check.count}">
      <h2>${esc(t(`quality.check.${check.check}`))} <span class="count">(${number(check.count)})</span></h2>
      <p class="note">${esc(t(`quality.about.${check.check}`))}</p>
      ${check.count ? table(headers, rows, { caption: t(`quality.check.${check.check}`) }) + more
        : `<p class="note">${esc(t("quality.none"))}</p>`}
    </section>`;
}

function cell(check, entry, key) {
  const value = entry[key];
  if (value === null || value === undefined) return "—";
  if ((key === "reference" && MAPPED(check, entry)) || key === "other_reference") {
    return { html: `<a href="#/map?hazard=${encodeURIComponent(value)}" data-hazard="${esc(value)}">${esc(value)}</a>` };
  }
  if (key === "area_m2") return area(value);
  if (key === "share") return `${number(value * 100, 1)} %`;
  if (key === "on") return day(value);
  if (key === "detail") return detail(check, value);
  return String(value);
}

// The detail's words: what became of a feature's geometry (with the problem's code), the kind
// of location of a record without a polygon, an event's kind and overshoot policy.
function detail(check, value) {
  if (check === "overshoot") {
    const [kind, policy] = value.split(", ");
    return `${kindName(kind)}, ${termOr(`quality.policy.${policy}`, policy)}`;
  }
  const [word, code] = value.split(": ");
  const said = termOr(`quality.detail.${word.replace(/ /g, "_")}`, word);
  return code ? `${said} (${code})` : said;
}
