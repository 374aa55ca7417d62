// Treaty reports on screen with their downloads, and the work plan recomputed as the
// capacities and costs change.
import { ApiError, api, can, download, request } from "../api.js";
import { area, day, money, number, t } from "../i18n.js";
import { busy, debounce, esc, showError, table, toast, today, told } from "../ui.js";

// Rows of a long list shown on the page; the downloads hold them all.
const SHOWN_ROWS = 200;

export async function render(main) {
  const year = new Date().getUTCFullYear() - 1;
  main.innerHTML = `
    <h1>${esc(t("reports.title"))}</h1>
    <section aria-labelledby="a46-title">
      <h2 id="a46-title">${esc(t("reports.article_4_6"))}</h2>
      <form class="controls" id="a46-form">
        <label>${esc(t("common.as_of"))}<input type="date" id="a46-as-of" value="${today()}"></label>
      </form>
      <div class="downloads" id="a46-downloads"></div>
      <div id="a46"></div>
    </section>
    <section aria-labelledby="a7-title">
      <h2 id="a7-title">${esc(t("reports.article_7"))}</h2>
      <form class="controls" id="a7-form">
        <label>${esc(t("reports.year"))}<input type="number" id="a7-year" value="${year}" min="2000" max="2100"></label>
      </form>
      <div class="downloads" id="a7-downloads"></div>
      <div id="a7"></div>
    </section>
    <section aria-labelledby="plan-title">
      <h2 id="plan-title">${esc(t("reports.work_plan"))}</h2>
      <form class="controls" id="plan-form">
        ${["cancel", "reduce", "clear"].map((m) => `
          <label>${esc(t(`reports.capacity_${m}`))}<input type="number" min="0" step="1000" data-capacity="${m}"></label>`).join("")}
        ${["cancel", "reduce", "clear"].map((m) => `
          <label>${esc(t(`reports.cost_${m}`))}<input type="number" min="0" step="0.01" data-cost="${m}"></label>`).join("")}
      </form>
      <div id="plan" aria-live="polite"></div>
    </section>`;
  const a46 = () => article46(main, main.querySelector("#a46-as-of").value || today());
  const a7 = () => article7(main, Number(main.querySelector("#a7-year").value));
  const plan = debounce(() => workPlan(main));
  main.querySelector("#a46-as-of").addEventListener("change", a46);
  main.querySelector("#a7-year").addEventListener("change", a7);
  main.querySelector("#plan-form").addEventListener("input", plan);
  main.querySelector("#plan-form").addEventListener("submit", (e) => e.preventDefault());
  await Promise.all([a46(), a7(), workPlan(main)]);
}

function downloads(box, base, name, withAreas) {
  const links = [["xlsx", "reports.xlsx"], ["csv", "reports.csv"], ["html", "reports.print"], ["pdf", "reports.pdf"]];
  const buttons = links.map(([format, key]) => `<button type="button" data-format="${format}">${esc(t(key))}</button>`);
  if (withAreas && can("read")) buttons.push(`<button type="button" data-areas="gpkg">${esc(t("reports.areas_gpkg"))}</button>`);
  box.innerHTML = buttons.join("");
  box.querySelectorAll("button").forEach((button) => button.addEventListener("click", () => busy(button, (async () => {
    try {
      if (button.dataset.format === "html") {
        // The printable page is fetched with the token, then shown from memory.
        const response = await request(`${base.path}${base.query}&format=html`);
        if (!response.ok) throw new ApiError(response.status, await response.json());
        const page = URL.createObjectURL(new Blob([await response.text()], { type: "text/html" }));
        window.open(page, "_blank");
        return;
      }
      if (button.dataset.areas) {
        await download(`${base.path}/areas${base.query}&format=gpkg`, `${name}-areas.gpkg`);
      } else {
        await download(`${base.path}${base.query}&format=${button.dataset.format}`, `${name}.${button.dataset.format === "csv" ? "zip" : button.dataset.format}`);
      }
    } catch (error) {
      toast(told(error));
    }
  })())));
}

async function article46(main, asOf) {
  const box = main.querySelector("#a46");
  const base = { path: "/api/v1/reports/article-4-6", query: `?as_of=${asOf}` };
  downloads(main.querySelector("#a46-downloads"), base, `article-4-6-${asOf}`, true);
  try {
    const r = await busy(main.querySelector("#a46-title"), api(`${base.path}${base.query}`));
    const rows = [
      [t("reports.d_baseline"), area(r.d.baseline_at_eif_m2)],
      [t("reports.d_discovered"), area(r.d.discovered_after_eif_m2)],
      [t("reports.d_total"), area(r.d.total_m2)],
      [t("reports.e_cleared"), area(r.e.cleared_since_eif_m2)],
      [t("reports.e_cancelled"), area(r.e.cancelled_since_eif_m2)],
      [t("reports.e_reduced"), area(r.e.reduced_since_eif_m2)],
      [t("reports.f_sha"), area(r.f.remaining_sha_m2)],
      [t("reports.f_cha"), area(r.f.remaining_cha_m2)],
      [t("reports.f_total"), area(r.f.remaining_m2)],
      [t("reports.corrected"), area(r.e.corrected_since_eif_m2)],
    ];
    // The check with every term, so that it can be redone from the page.
    const c = r.check;
    const check = [
      [t("reports.check_d_total"), area(c.d_total_m2)],
      [t("reports.check_minus_released"), area(-c.minus_released_m2)],
      [t("reports.check_minus_corrected"), area(-c.minus_corrected_m2)],
      [t("reports.check_equals"), area(c.equals_m2)],
      [t("reports.check_f"), area(c.f_remaining_m2)],
      [t("reports.check"), area(c.difference_m2)],
    ];
    const annual = r.annual.map((y) => [y.year, area(y.discovered_m2), area(y.cancelled_m2), area(y.reduced_m2),
      area(y.cleared_m2), area(y.remaining_sha_m2), area(y.remaining_cha_m2)]);
    const passed = r.deadline_in_force < asOf;
    box.innerHTML =
      `<p class="scope" data-scope="${esc(r.contamination || "all")}">${esc(`${r.country} · ${scopeLine(r.contamination, asOf)}`)}</p>` +
      `<p>${esc(t("reports.deadline_line", { deadline: day(r.deadline_in_force), eif: day(r.eif) }))}</p>` +
      (passed ? `<p class="deadline-passed" data-passed="true">${esc(t("dashboard.deadline_passed", {
        deadline: day(r.deadline_in_force), as_of: day(asOf) }))}</p>` : "") +
      table([t("reports.figure"), { label: t("reports.area"), num: true }], rows, { caption: t("reports.article_4_6") }) +
      `<h3>${esc(t("reports.check_title"))}</h3>` +
      table([t("reports.figure"), { label: t("reports.area"), num: true }], check, { caption: t("reports.check_title") }) +
      `<h3>${esc(t("reports.by_region"))}</h3>` +
      table([t("common.region"), { label: t("state.SHA"), num: true }, { label: t("state.CHA"), num: true }],
        r.f.by_region.map((g) => [g.name, area(g.sha_m2), area(g.cha_m2)])) +
      `<h3>${esc(t("reports.annual"))}</h3>` +
      table([t("reports.year"), { label: t("flow.discovered"), num: true }, { label: t("flow.cancelled"), num: true },
        { label: t("flow.reduced"), num: true }, { label: t("flow.cleared"), num: true },
        { label: t("reports.sha_31_dec"), num: true }, { label: t("reports.cha_31_dec"), num: true }], annual);
  } catch (error) {
    showError(box, error);
  }
}

async function article7(main, year) {
  const box = main.querySelector("#a7");
  const base = { path: "/api/v1/reports/article-7", query: `?year=${year}` };
  downloads(main.querySelector("#a7-downloads"), base, `article-7-${year}`, true);
  if (!can("read")) {
    box.innerHTML = `<p class="note">${esc(t("reports.sign_in_for_article_7"))}</p>`;
    return;
  }
  try {
    const r = await busy(main.querySelector("#a7-title"), api(`${base.path}${base.query}`));
    const shown = r.areas.slice(0, SHOWN_ROWS);
    box.innerHTML =
      `<p class="scope" data-scope="${esc(r.contamination || "all")}">${esc(scopeLine(r.contamination, `${year}-12-31`))}</p>` +
      table([t("reports.figure"), { label: t("reports.area"), num: true }], [
        [t("state.SHA"), area(r.remaining.sha_m2)], [t("state.CHA"), area(r.remaining.cha_m2)],
        [t("flow.cancelled"), area(r.released.cancelled_m2)], [t("flow.reduced"), area(r.released.reduced_m2)],
        [t("flow.cleared"), area(r.released.cleared_m2)],
      ]) +
      `<h3>${esc(t("reports.areas", { count: number(r.areas.length) }))}</h3>` +
      (shown.length < r.areas.length
        ? `<p class="note" data-shown="${shown.length}" data-total="${r.areas.length}">${esc(t("reports.shown_of", {
          shown: number(shown.length), total: number(r.areas.length) }))}</p>` : "") +
      table([t("common.reference"), t("common.region"), t("common.class"), { label: t("map.remaining"), num: true }],
        shown.map((a) => [a.reference, a.region || "—", a.hazard_class, area(a.remaining_m2)]));
  } catch (error) {
    showError(box, error);
  }
}

async function workPlan(main) {
  const box = main.querySelector("#plan");
  const query = new URLSearchParams({ as_of: main.querySelector("#a46-as-of").value || today() });
  let given = 0;
  main.querySelectorAll("[data-capacity]").forEach((input) => {
    if (input.value !== "") {
      query.set(`capacity_${input.dataset.capacity}`, input.value);
      given += 1;
    }
  });
  main.querySelectorAll("[data-cost]").forEach((input) => {
    if (input.value !== "") query.set(`cost_per_m2_${input.dataset.cost}`, input.value);
  });
  try {
    const [plan, currency] = await busy(main.querySelector("#plan-title"),
      Promise.all([api(`/api/v1/reports/work-plan?${query}`), programmeCurrency()]));
    const rows = plan.years.map((y) => [y.year, area(y.cancelled_m2), area(y.reduced_m2), area(y.cleared_m2),
      area(y.remaining_sha_m2 + y.remaining_cha_m2), money(y.cost, currency)]);
    box.innerHTML = `<p class="scope">${esc(scopeLine(plan.contamination, plan.as_of))}</p>` +
      `<p data-completion="${plan.completion_year ?? ""}">${esc(t("reports.plan_summary", {
      year: plan.completion_year ?? "—",
      within: plan.within_deadline ? t("common.yes") : t("common.no"),
      extension: extensionWords(plan),
    }))}</p><p class="note">${esc(t(given === 3 ? "reports.basis_given" : "reports.basis_trailing"))}</p>` +
      table([t("reports.year"), { label: t("flow.cancelled"), num: true }, { label: t("flow.reduced"), num: true },
        { label: t("flow.cleared"), num: true }, { label: t("reports.remaining_end"), num: true },
        { label: currency ? t("reports.cost_in", { currency }) : t("reports.cost"), num: true }], rows);
  } catch (error) {
    showError(box, error);
  }
}

// The extension a plan needs, with the limit of five years per request (Article 4.5).
function extensionWords(plan) {
  const years = plan.extension_years_needed;
  if (years === null || years === undefined) return t("reports.extension_never");
  if (years === 0) return t("reports.extension_none");
  return t("reports.extension_years", { years: number(years), requests: number(plan.extension_requests_needed) });
}

async function programmeCurrency() {
  try {
    return (await api("/api/v1/programme")).currency || "";
  } catch {
    return "";
  }
}

// What a report's figures cover and the date they stand at.
function scopeLine(contamination, asOf) {
  const scope = contamination ? t("reports.scope_one", { contamination }) : t("reports.scope_all");
  return t("reports.scope_line", { scope, date: day(asOf) });
}
