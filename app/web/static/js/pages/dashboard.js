// National figures as of a date, for the treaty the authority chooses (its contamination
// only) or for all contamination: land remaining, land released this year, the treaty's
// deadline, regions and the burn-down. Each heading says which treaty and contamination its
// figures cover.
import { api, request } from "../api.js";
import { area, day, number, t } from "../i18n.js";
import { ALL, choices, chosen, contaminationOf, keep, programmeAsOf, scopeTag, scopeWords, selector } from "../treaties.js";
import { esc, showError, table, today } from "../ui.js";

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
      <div class="card-row" id="remaining"></div>
    </section>
    <section aria-labelledby="released-title">
      <h2 id="released-title">${esc(t("dashboard.released_this_year"))}<span data-scope-tag></span></h2>
      <div class="card-row" id="released"></div>
    </section>
    <section aria-labelledby="deadline-title">
      <h2 id="deadline-title"></h2>
      <div class="card-row" id="deadline"></div>
    </section>
    <section aria-labelledby="regions-title">
      <h2 id="regions-title">${esc(t("dashboard.by_region"))}<span data-scope-tag></span></h2>
      <div id="regions"></div>
    </section>
    <section aria-labelledby="burndown-title">
      <h2 id="burndown-title">${esc(t("dashboard.burndown"))}<span data-scope-tag></span></h2>
      <img id="burndown" alt="${esc(t("dashboard.burndown_alt"))}" style="max-width:100%;background:#fff">
      <p class="note" id="burndown-none" hidden>${esc(t("dashboard.burndown_none"))}</p>
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

// The treaty chosen (or all contamination) and the contamination its figures are of.
async function scopeOf(main, asOf) {
  let programme = null;
  try {
    programme = await programmeAsOf(asOf);
  } catch {
    programme = null; // the figures of all contamination still stand
  }
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

async function refresh(main, asOf) {
  const year = Number(asOf.slice(0, 4));
  const scope = await scopeOf(main, asOf);
  const only = scope.contamination ? `&contamination=${encodeURIComponent(scope.contamination)}` : "";
  // The deadline comes from the settings already read: shown at once, before the figures.
  deadline(main, scope, asOf);
  try {
    // The national totals come with their split by province: one request for both.
    const [totals, released] = await Promise.all([
      api(`/api/v1/totals?as_of=${asOf}&group_by=region&region_level=1${only}`),
      api(`/api/v1/land-release?from=${year - 1}-12-31&to=${asOf}${only}`),
    ]);
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
        { label: t("state.SHA"), num: true },
        { label: t("state.CHA"), num: true },
        { label: t("dashboard.total"), num: true },
      ],
      rows,
      { caption: `${t("dashboard.by_region")} · ${scopeWords(scope.choice)}` },
    );
    await burndown(main, scope, asOf);
  } catch (error) {
    showError(main.querySelector("#remaining"), error);
  }
}

// The burn-down is drawn against a treaty's deadline: none for all contamination.
async function burndown(main, scope, asOf) {
  const image = main.querySelector("#burndown");
  const none = scope.choice === ALL;
  image.hidden = none;
  main.querySelector("#burndown-none").hidden = !none;
  if (!none) await show(image, `/api/v1/reports/${scope.choice.toLowerCase()}/burndown.svg?as_of=${asOf}`);
}

// The chart is asked for with the page's language (its labels are the service's), then shown
// from memory.
async function show(image, url) {
  const response = await request(url);
  if (!response.ok) return;
  // The copy before the one shown is given back: the one shown may still be read (printed,
  // saved) while the next one loads.
  if (image.dataset.previous) URL.revokeObjectURL(image.dataset.previous);
  image.dataset.previous = image.dataset.url || "";
  image.dataset.url = URL.createObjectURL(await response.blob());
  image.dataset.language = response.headers.get("content-language") || "";
  image.dataset.source = url; // what the chart is of (its src is the copy in memory)
  image.src = image.dataset.url;
}

function deadline(main, scope, asOf) {
  const box = main.querySelector("#deadline");
  const title = main.querySelector("#deadline-title");
  if (!scope.programme) {
    title.textContent = t("dashboard.deadline_title");
    box.innerHTML = `<p class="note">${esc(t("dashboard.no_programme"))}</p>`;
    return;
  }
  if (scope.choice === ALL) {
    title.textContent = t("dashboard.deadline_title");
    box.innerHTML = `<p class="note">${esc(t("dashboard.deadline_none"))}</p>`;
    return;
  }
  const treaty = scope.programme.treaties[scope.choice];
  title.textContent = t(`dashboard.deadline.${scope.choice}`);
  const request = treaty.next_extension_request;
  box.innerHTML =
    card("dashboard.deadline_in_force", treaty.deadline_in_force, "deadline", day(treaty.deadline_in_force), scope) +
    card("dashboard.days_left", treaty.days_left, "days-left", number(treaty.days_left), scope) +
    (request
      ? card("dashboard.request_due", request.request_due, "request-due",
          `${day(request.request_due)} (${request.meeting})`, scope)
      : card("dashboard.request_due", "", "request-due", t("dashboard.no_meeting"), scope));
}
