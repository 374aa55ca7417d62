// National figures as of a date, land released this year, regions, deadline and burn-down.
import { api, request } from "../api.js";
import { area, day, number, t } from "../i18n.js";
import { chart } from "../charts.js";
import { busy, esc, showError, table, today } from "../ui.js";

export async function render(main) {
  main.innerHTML = `
    <h1>${esc(t("dashboard.title"))}</h1>
    <form class="controls" id="dashboard-form">
      <label>${esc(t("common.as_of"))}<input type="date" id="as-of" value="${today()}" required></label>
    </form>
    <section aria-labelledby="remaining-title">
      <h2 id="remaining-title">${esc(t("dashboard.remaining"))}</h2>
      <p class="scope" id="remaining-scope"></p>
      <div class="card-row" id="remaining"></div>
    </section>
    <section aria-labelledby="released-title">
      <h2 id="released-title">${esc(t("dashboard.released_this_year"))}</h2>
      <p class="scope" id="released-scope"></p>
      <div class="card-row" id="released"></div>
    </section>
    <section aria-labelledby="deadline-title">
      <h2 id="deadline-title">${esc(t("dashboard.deadline"))}</h2>
      <p class="scope" id="deadline-scope"></p>
      <div class="card-row" id="deadline"></div>
    </section>
    <section aria-labelledby="regions-title">
      <h2 id="regions-title">${esc(t("dashboard.by_region"))}</h2>
      <p class="scope" id="regions-scope"></p>
      <div id="regions"></div>
    </section>
    <section aria-labelledby="burndown-title">
      <h2 id="burndown-title">${esc(t("dashboard.burndown"))}</h2>
      <p class="scope" id="burndown-scope"></p>
      <div id="burndown-chart" aria-live="polite"></div>
      <h3>${esc(t("dashboard.released_by_year"))}</h3>
      <div id="released-chart"></div>
      <h3>${esc(t("dashboard.province_trend"))}</h3>
      <div id="province-chart"></div>
      <details><summary>${esc(t("dashboard.chart_image"))}</summary>
        <p class="downloads"><a id="burndown-svg" download="burndown.svg">SVG</a> · <a id="burndown-png" download="burndown.png">PNG</a></p>
        <img id="burndown" alt="${esc(t("dashboard.burndown_alt"))}" style="max-width:100%;background:#fff">
      </details>
    </section>`;
  const input = main.querySelector("#as-of");
  const load = () => refresh(main, input.value || today());
  input.addEventListener("change", load);
  await load();
}

function card(key, value, name, formatted) {
  return `<div class="card"><div class="label">${esc(t(key))}</div>
    <div class="value" data-figure="${name}" data-value="${value}">${esc(formatted)}</div></div>`;
}

async function refresh(main, asOf) {
  const year = Number(asOf.slice(0, 4));
  // Answers for an earlier date that arrive late are dropped: the page shows the last date.
  const ticket = (main.refreshTicket = (main.refreshTicket || 0) + 1);
  const current = () => ticket === main.refreshTicket;
  try {
    // The national totals come with their split by province: one request for both.
    const [totals, released] = await busy(main.querySelector("#remaining-title"), Promise.all([
      api(`/api/v1/totals?as_of=${asOf}&group_by=region&region_level=1`),
      api(`/api/v1/land-release?from=${year - 1}-12-31&to=${asOf}`),
    ]));
    if (!current()) return;
    // What each figure covers: the cards and the table every contamination type; the
    // burn-down, like the treaty reports, cluster munition remnants only.
    const everything = t("scope.all_as_of", { date: day(asOf) });
    main.querySelector("#remaining-scope").textContent = everything;
    main.querySelector("#regions-scope").textContent = everything;
    main.querySelector("#released-scope").textContent =
      t("scope.all_between", { from: day(`${year}-01-01`), to: day(asOf) });
    main.querySelector("#burndown-scope").textContent = t("scope.cmr_as_of", { date: day(asOf) });
    main.querySelector("#remaining").innerHTML =
      card("state.SHA", totals.sha_m2, "sha", area(totals.sha_m2)) +
      card("state.CHA", totals.cha_m2, "cha", area(totals.cha_m2)) +
      card("dashboard.total", totals.remaining_m2, "remaining", area(totals.remaining_m2));
    main.querySelector("#released").innerHTML =
      card("state.cancelled", released.cancelled_m2, "cancelled", area(released.cancelled_m2)) +
      card("state.reduced", released.reduced_m2, "reduced", area(released.reduced_m2)) +
      card("state.cleared", released.cleared_m2, "cleared", area(released.cleared_m2)) +
      card("dashboard.released_total", released.released_m2, "released", area(released.released_m2));
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
        { label: "SHA", num: true },
        { label: "CHA", num: true },
        { label: t("dashboard.total_short"), num: true },
      ],
      rows,
      { caption: t("dashboard.by_region") },
    );
    await busy(main.querySelector("#burndown-title"), Promise.all([
      burndown(main.querySelector("#burndown"), asOf),
      drawCharts(main, asOf, current),
    ]));
  } catch (error) {
    showError(main.querySelector("#remaining"), error);
  }
  if (current()) await deadline(main, asOf, current);
}

// The chart is asked for with the page's language (its labels are the service's), then shown
// from memory.
async function burndown(image, asOf) {
  const response = await request(`/api/v1/reports/burndown.svg?as_of=${asOf}`);
  if (!response.ok) return;
  if (image.dataset.url) URL.revokeObjectURL(image.dataset.url);
  image.dataset.url = URL.createObjectURL(await response.blob());
  image.dataset.language = response.headers.get("content-language") || "";
  image.src = image.dataset.url;
  const svg = image.closest("section").querySelector("#burndown-svg");
  svg.href = image.dataset.url;
  const png = await request(`/api/v1/reports/burndown.png?as_of=${asOf}`);
  if (png.ok) image.closest("section").querySelector("#burndown-png").href = URL.createObjectURL(await png.blob());
}

const KM2 = (m2) => `${number(m2 / 1e6, 2)}\u00a0km²`;
const PROVINCE_YEARS = 8; // the province trend: the last years only, one request each
const PALETTE = ["#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf", "#bcbd22", "#393b79",
  "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#636363", "#a55194", "#6b6ecf", "#b5cf6b", "#ce6dbd"];

// The burn-down (history and projection), land released per year by method, and what remains
// in each province at the end of each year: CMR, as the treaty reports count.
async function drawCharts(main, asOf, current) {
  let report;
  try {
    report = await api(`/api/v1/reports/article-4-6?as_of=${asOf}`);
  } catch (error) {
    if (current()) showError(main.querySelector("#burndown-chart"), error);
    return;
  }
  if (!current()) return;
  const style = await api("/ogc/styles/land-release");
  const colours = style.metadata.legend;
  const plan = report.work_plan.years;
  const years = [...report.annual.map((y) => y.year), ...plan.map((y) => y.year).filter((y) => y > asOf.slice(0, 4))];
  const history = (key) => years.map((year) => report.annual.find((y) => y.year === year)?.[key] ?? null);
  const projected = years.map((year) => {
    const p = plan.find((y) => y.year === year);
    if (p) return p.remaining_sha_m2 + p.remaining_cha_m2;
    return year === Number(asOf.slice(0, 4)) ? report.f.remaining_m2 : null;
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
  const answers = await Promise.all(ends.map((end) =>
    api(`/api/v1/totals?as_of=${end}&group_by=region&region_level=1&contamination=CMR`)));
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

async function deadline(main, asOf, current) {
  const box = main.querySelector("#deadline");
  try {
    const programme = await busy(main.querySelector("#deadline-title"), api(`/api/v1/programme?as_of=${asOf}`));
    if (!current()) return;
    const request = programme.next_extension_request;
    main.querySelector("#deadline-scope").textContent =
      t("scope.programme_as_of", { country: programme.country, date: day(asOf) });
    if (programme.days_left < 0) {
      // Passed: no days are left, and a request for a later meeting cannot extend it.
      box.innerHTML =
        card("dashboard.deadline_in_force", programme.deadline_in_force, "deadline", day(programme.deadline_in_force)) +
        card("dashboard.passed_since", programme.days_left, "days-left",
          t("dashboard.days_ago", { days: number(-programme.days_left) })) +
        `<p class="deadline-passed" role="status" data-passed="true">${esc(t("dashboard.deadline_passed", {
          deadline: day(programme.deadline_in_force), as_of: day(asOf) }))}</p>`;
      return;
    }
    box.innerHTML =
      card("dashboard.deadline_in_force", programme.deadline_in_force, "deadline", day(programme.deadline_in_force)) +
      card("dashboard.days_left", programme.days_left, "days-left", number(programme.days_left)) +
      (request
        ? card("dashboard.request_due", request.request_due, "request-due",
            `${day(request.request_due)} (${request.meeting})`)
        : card("dashboard.request_due", "", "request-due", t("dashboard.no_meeting")));
  } catch (error) {
    box.innerHTML = `<p class="note">${esc(t("dashboard.no_programme"))}</p>`;
  }
}
