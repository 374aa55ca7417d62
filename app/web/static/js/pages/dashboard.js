// National figures as of a date, for the treaty the authority chooses (its contamination
// only) or for all contamination: land remaining, land released this year, the treaty's
// deadline, regions, the burn-down and the charts drawn in the page. Each heading says which
// treaty and contamination its figures cover, and as of when.
import { api, request } from "../api.js";
import { area, day, number, t } from "../i18n.js";
import { chart } from "../charts.js";
import { ALL, choices, chosen, contaminationOf, keep, programmeAsOf, scopeTag, scopeWords, selector } from "../treaties.js";
import { busy, esc, showError, table, today } from "../ui.js";

// The extension request of each treaty: its report's path.
const REQUEST_PATH = { CCM: "article-4-6", APMBC: "article-5" };

export async function render(main) {
  main.innerHTML = `
    <h1>${esc(t("dashboard.title"))}</h1>
    <form class="controls" id="dashboard-form">
      <label>${esc(t("common.as_of"))}<input type="date" id="as-of" value="${today()}" required></label>
      <span id="treaty-choice"></span>
    </form>
    <p class="note" id="scope-line" aria-live="polite"></p>
    <section aria-labelledby="remaining-title">
      <h2 id="remaining-title">${esc(t("dashboard.remaining"))}<span data-scope-tag></span></h2>
      <p class="scope" id="remaining-scope"></p>
      <div class="card-row" id="remaining"></div>
    </section>
    <section aria-labelledby="released-title">
      <h2 id="released-title">${esc(t("dashboard.released_this_year"))}<span data-scope-tag></span></h2>
      <p class="scope" id="released-scope"></p>
      <div class="card-row" id="released"></div>
    </section>
    <section aria-labelledby="deadline-title">
      <h2 id="deadline-title"></h2>
      <p class="scope" id="deadline-scope"></p>
      <div class="card-row" id="deadline"></div>
    </section>
    <section aria-labelledby="regions-title">
      <h2 id="regions-title">${esc(t("dashboard.by_region"))}<span data-scope-tag></span></h2>
      <p class="scope" id="regions-scope"></p>
      <div id="regions"></div>
    </section>
    <section aria-labelledby="burndown-title">
      <h2 id="burndown-title">${esc(t("dashboard.burndown"))}<span data-scope-tag></span></h2>
      <p class="scope" id="burndown-scope"></p>
      <p class="note" id="burndown-none" hidden>${esc(t("dashboard.burndown_none"))}</p>
      <div id="charts">
        <div id="burndown-chart" aria-live="polite"></div>
        <h3>${esc(t("dashboard.released_by_year"))}</h3>
        <div id="released-chart"></div>
        <h3>${esc(t("dashboard.province_trend"))}</h3>
        <div id="province-chart"></div>
        <details><summary>${esc(t("dashboard.chart_image"))}</summary>
          <p class="downloads"><a id="burndown-svg" download="burndown.svg">SVG</a> · <a id="burndown-png" download="burndown.png">PNG</a></p>
          <img id="burndown" alt="${esc(t("dashboard.burndown_alt"))}" style="max-width:100%;background:#fff">
        </details>
      </div>
    </section>`;
  const input = main.querySelector("#as-of");
  const load = () => refresh(main, input.value || today());
  input.addEventListener("change", load);
  main.querySelector("#treaty-choice").addEventListener("change", (event) => {
    keep(event.target.value);
    load();
  });
  await load();
}

function card(key, value, name, formatted, scope) {
  return `<div class="card"><div class="label">${esc(t(key))}</div>
    <div class="value" data-figure="${name}" data-value="${value}" data-treaty="${esc(scope.choice)}"
      data-contamination="${esc(scope.contamination ?? "")}">${esc(formatted)}</div></div>`;
}

// The treaty chosen (or all contamination) and the contamination its figures are of; null
// when the page was left (or another date asked for) while the settings were read.
async function scopeOf(main, asOf, current) {
  let programme = null;
  try {
    programme = await programmeAsOf(asOf);
  } catch {
    programme = null; // the figures of all contamination still stand
  }
  if (!current()) return null;
  const offered = choices(programme, { withAll: true });
  const choice = chosen(offered);
  main.querySelector("#treaty-choice").innerHTML = offered.length > 1 ? selector("treaty", offered, choice) : "";
  const scope = { programme, choice, contamination: contaminationOf(programme, choice) };
  main.querySelector("#scope-line").textContent = t("dashboard.figures_of", { scope: scopeWords(choice) });
  main.querySelectorAll("[data-scope-tag]").forEach((tag) => {
    tag.innerHTML = scopeTag(choice, scope.contamination);
  });
  return scope;
}

// What each block covers and as of when: the treaty's contamination, or all of it.
function scopeLines(main, scope, asOf) {
  const year = Number(asOf.slice(0, 4));
  const words = scopeWords(scope.choice);
  const asOfLine = t("scope.as_of", { scope: words, date: day(asOf) });
  main.querySelector("#remaining-scope").textContent = asOfLine;
  main.querySelector("#regions-scope").textContent = asOfLine;
  main.querySelector("#burndown-scope").textContent = asOfLine;
  main.querySelector("#released-scope").textContent =
    t("scope.between", { scope: words, from: day(`${year}-01-01`), to: day(asOf) });
}

async function refresh(main, asOf) {
  const year = Number(asOf.slice(0, 4));
  // Answers for an earlier date that arrive late are dropped: the page shows the last date;
  // so are those that arrive after the page was left.
  const ticket = (main.refreshTicket = (main.refreshTicket || 0) + 1);
  const page = main.querySelector("#charts");
  const current = () => ticket === main.refreshTicket && main.contains(page);
  const scope = await busy(main.querySelector("#remaining-title"), scopeOf(main, asOf, current));
  if (!scope || !current()) return;
  const only = scope.contamination ? `&contamination=${encodeURIComponent(scope.contamination)}` : "";
  scopeLines(main, scope, asOf);
  // The deadline comes from the settings already read: shown at once, before the figures.
  deadline(main, scope, asOf);
  try {
    // The national totals come with their split by province: one request for both.
    const [totals, released] = await busy(main.querySelector("#remaining-title"), Promise.all([
      api(`/api/v1/totals?as_of=${asOf}&group_by=region&region_level=1${only}`),
      api(`/api/v1/land-release?from=${year - 1}-12-31&to=${asOf}${only}`),
    ]));
    if (!current()) return;
    main.querySelector("#remaining").innerHTML =
      card("state.SHA", totals.sha_m2, "sha", area(totals.sha_m2), scope) +
      card("state.CHA", totals.cha_m2, "cha", area(totals.cha_m2), scope) +
      card("dashboard.total", totals.remaining_m2, "remaining", area(totals.remaining_m2), scope) +
      // Beside the mapped land, never in it: hazards recorded without a polygon.
      card("dashboard.not_mapped", totals.not_mapped.declared_m2, "not-mapped",
        t("dashboard.not_mapped_value", { area: area(totals.not_mapped.declared_m2), count: totals.not_mapped.hazards }), scope);
    main.querySelector("#released").innerHTML =
      card("state.cancelled", released.cancelled_m2, "cancelled", area(released.cancelled_m2), scope) +
      card("state.reduced", released.reduced_m2, "reduced", area(released.reduced_m2), scope) +
      card("state.cleared", released.cleared_m2, "cleared", area(released.cleared_m2), scope) +
      card("dashboard.released_total", released.released_m2, "released", area(released.released_m2), scope);
    const rows = Object.values(totals.groups).map((r) => [
      r.code === "outside-regions" ? t("dashboard.outside_regions") : r.name,
      area(r.sha_m2),
      area(r.cha_m2),
      area(r.remaining_m2),
    ]);
    main.querySelector("#regions").innerHTML = table(
      [
        t("common.region"),
        // Short headers: the total column stays on screen at tablet width.
        { label: t("dashboard.sha_short"), num: true },
        { label: t("dashboard.cha_short"), num: true },
        { label: t("dashboard.total_short"), num: true },
      ],
      rows,
      { caption: `${t("dashboard.by_region")} · ${scopeWords(scope.choice)}` },
    );
    await busy(main.querySelector("#burndown-title"), burndown(main, scope, asOf, current));
  } catch (error) {
    if (current()) showError(main.querySelector("#remaining"), error);
  }
}

// The burn-down and the charts are drawn against a treaty's deadline: none for all
// contamination.
async function burndown(main, scope, asOf, current) {
  const none = scope.choice === ALL;
  main.querySelector("#charts").hidden = none;
  main.querySelector("#burndown-none").hidden = !none;
  if (none) return;
  const base = `/api/v1/reports/${scope.choice.toLowerCase()}`;
  await Promise.all([
    show(main.querySelector("#burndown"), `${base}/burndown.svg?as_of=${asOf}`, `${base}/burndown.png?as_of=${asOf}`, current),
    drawCharts(main, scope, asOf, current),
  ]);
}

// The chart is asked for with the page's language (its labels are the service's), then shown
// from memory, with its SVG and PNG to download. The copy shown before is let go only once the
// new one is in place: what reads the image meanwhile still finds it.
async function show(image, url, pngUrl, current) {
  const response = await request(url);
  if (!response.ok) return;
  const blob = await response.blob();
  if (!current()) return;
  const before = image.dataset.url;
  image.dataset.url = URL.createObjectURL(blob);
  image.dataset.language = response.headers.get("content-language") || "";
  image.dataset.source = url; // the chart shown: its src is the copy in memory
  image.src = image.dataset.url;
  const section = image.closest("section");
  section.querySelector("#burndown-svg").href = image.dataset.url;
  if (before) URL.revokeObjectURL(before);
  const png = await request(pngUrl);
  if (png.ok && current()) section.querySelector("#burndown-png").href = URL.createObjectURL(await png.blob());
}

const KM2 = (m2) => `${number(m2 / 1e6, 2)}\u00a0km²`;
const PROVINCE_YEARS = 8; // the province trend: the last years only, one request each
const PALETTE = ["#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf", "#bcbd22", "#393b79",
  "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#636363", "#a55194", "#6b6ecf", "#b5cf6b", "#ce6dbd"];

// The burn-down (history and projection), land released per year by method, and what remains
// in each province at the end of each year: the treaty's contamination, as its reports count.
async function drawCharts(main, scope, asOf, current) {
  let report;
  try {
    report = await api(`/api/v1/reports/${scope.choice.toLowerCase()}/${REQUEST_PATH[scope.choice]}?as_of=${asOf}`);
  } catch (error) {
    if (current()) showError(main.querySelector("#burndown-chart"), error);
    return;
  }
  if (!current()) return;
  const style = await api("/ogc/styles/land-release");
  const colours = style.metadata.legend;
  const plan = report.work_plan.years;
  const remainingNow = (report.f || report.remaining).remaining_m2;
  const years = [...report.annual.map((y) => y.year), ...plan.map((y) => y.year).filter((y) => y > asOf.slice(0, 4))];
  const history = (key) => years.map((year) => report.annual.find((y) => y.year === year)?.[key] ?? null);
  const projected = years.map((year) => {
    const p = plan.find((y) => y.year === year);
    if (p) return p.remaining_sha_m2 + p.remaining_cha_m2;
    return year === Number(asOf.slice(0, 4)) ? remainingNow : null;
  });
  const deadlineYear = Number(String(report.deadline_in_force).slice(0, 4));
  main.querySelector("#burndown-chart").innerHTML = chart({
    years,
    stacked: false,
    series: [
      { label: t("state.SHA"), colour: colours.SHA, values: history("remaining_sha_m2") },
      { label: t("state.CHA"), colour: colours.CHA, values: history("remaining_cha_m2") },
      { label: t("dashboard.total"), colour: "#333", values: history("remaining_m2") },
      { label: t("dashboard.projection"), colour: "#555", values: projected, dashed: true },
    ],
    yLabel: t("dashboard.remaining"),
    format: KM2,
    marks: [{ year: deadlineYear, label: t("dashboard.deadline_mark", { date: day(report.deadline_in_force) }) }],
    title: t("dashboard.burndown_alt"),
  });
  const annualYears = report.annual.map((y) => y.year);
  main.querySelector("#released-chart").innerHTML = chart({
    years: annualYears,
    bars: true,
    stacked: true,
    series: ["cancelled", "reduced", "cleared"].map((method) => ({
      label: t(`state.${method}`), colour: colours[method], values: report.annual.map((y) => y[`${method}_m2`]),
    })),
    yLabel: t("dashboard.released_total"),
    format: KM2,
    title: t("dashboard.released_by_year"),
  });
  const recent = annualYears.slice(-PROVINCE_YEARS);
  const ends = recent.map((year) => (`${year}-12-31` < asOf ? `${year}-12-31` : asOf));
  const only = encodeURIComponent(scope.contamination);
  const answers = await Promise.all(ends.map((end) =>
    api(`/api/v1/totals?as_of=${end}&group_by=region&region_level=1&contamination=${only}`)));
  if (!current()) return;
  const codes = Object.keys(answers.at(-1)?.groups || {});
  main.querySelector("#province-chart").innerHTML = chart({
    years: recent,
    series: codes.map((code, i) => ({
      label: code === "outside-regions" ? t("dashboard.outside_regions") : answers.at(-1).groups[code].name,
      colour: PALETTE[i % PALETTE.length],
      values: answers.map((a) => a.groups[code]?.remaining_m2 ?? 0),
    })),
    yLabel: t("dashboard.remaining"),
    format: KM2,
    title: t("dashboard.province_trend"),
  });
}

function deadline(main, scope, asOf) {
  const box = main.querySelector("#deadline");
  const title = main.querySelector("#deadline-title");
  const line = main.querySelector("#deadline-scope");
  if (!scope.programme) {
    title.textContent = t("dashboard.deadline_title");
    line.textContent = "";
    box.innerHTML = `<p class="note">${esc(t("dashboard.no_programme"))}</p>`;
    return;
  }
  line.textContent = t("scope.programme_as_of", { country: scope.programme.country, date: day(asOf) });
  if (scope.choice === ALL) {
    title.textContent = t("dashboard.deadline_title");
    box.innerHTML = `<p class="note">${esc(t("dashboard.deadline_none"))}</p>`;
    return;
  }
  const treaty = scope.programme.treaties[scope.choice];
  title.textContent = t(`dashboard.deadline.${scope.choice}`);
  const inForce = card("dashboard.deadline_in_force", treaty.deadline_in_force, "deadline", day(treaty.deadline_in_force), scope);
  if (treaty.days_left < 0) {
    // Passed: no days are left, and a request for a later meeting cannot extend it.
    box.innerHTML = inForce +
      card("dashboard.passed_since", treaty.days_left, "days-left",
        t("dashboard.days_ago", { days: number(-treaty.days_left) }), scope) +
      `<p class="deadline-passed" role="status" data-passed="true">${esc(t("dashboard.deadline_passed", {
        deadline: day(treaty.deadline_in_force), as_of: day(asOf), article: treaty.rules.request_article }))}</p>`;
    return;
  }
  const request = treaty.next_extension_request;
  box.innerHTML = inForce +
    card("dashboard.days_left", treaty.days_left, "days-left", number(treaty.days_left), scope) +
    (request
      ? card("dashboard.request_due", request.request_due, "request-due",
          `${day(request.request_due)} (${request.meeting})`, scope)
      : card("dashboard.request_due", "", "request-due", t("dashboard.no_meeting"), scope));
}
