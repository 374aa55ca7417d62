// National figures as of a date, land released this year, regions, deadline and burn-down.
import { api, request } from "../api.js";
import { area, day, number, t } from "../i18n.js";
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
      <img id="burndown" alt="${esc(t("dashboard.burndown_alt"))}" style="max-width:100%;background:#fff">
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
        { label: t("state.SHA"), num: true },
        { label: t("state.CHA"), num: true },
        { label: t("dashboard.total"), num: true },
      ],
      rows,
      { caption: t("dashboard.by_region") },
    );
    await busy(main.querySelector("#burndown-title"), burndown(main.querySelector("#burndown"), asOf));
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
