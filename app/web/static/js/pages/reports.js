// Treaty reports on screen with their downloads, for the treaty the authority chooses: the
// extension request figures (CCM Article 4.6, APMBC Article 5), Article 7 and the work plan,
// recomputed as the capacities and costs change. Each heading says its treaty and contamination.
import { ApiError, api, can, download, request } from "../api.js";
import { area, day, money, number, t } from "../i18n.js";
import { choices, chosen, contaminationOf, keep, programmeAsOf, scopeTag, selector } from "../treaties.js";
import { busy, debounce, esc, showError, table, toast, today, told } from "../ui.js";

// Rows of a long list shown on the page; the downloads hold them all.
const SHOWN_ROWS = 200;

// What differs between the treaties' reports: the extension request's path, box and title.
const REQUEST = {
  CCM: { path: "article-4-6", box: "a46", title: "reports.article_4_6", show: article46 },
  APMBC: { path: "article-5", box: "a5", title: "reports.article_5", show: article5 },
};

export async function render(main) {
  let programme = null;
  try {
    programme = await programmeAsOf(today());
  } catch (error) {
    showError(main, error);
    return;
  }
  const offered = choices(programme);
  if (!offered.length) {
    main.innerHTML = `<h1>${esc(t("reports.title"))}</h1><p class="note">${esc(t("reports.no_programme"))}</p>`;
    return;
  }
  const treaty = chosen(offered);
  const scope = {
    treaty,
    base: `/api/v1/reports/${treaty.toLowerCase()}`,
    request: REQUEST[treaty],
    // The article that asks for a request before the deadline; the currency of the costs.
    requestArticle: programme.treaties[treaty].rules.request_article,
    currency: programme.currency || "",
  };
  const tag = scopeTag(treaty, contaminationOf(programme, treaty));
  const box = scope.request.box;
  const year = new Date().getUTCFullYear() - 1;
  main.innerHTML = `
    <h1>${esc(t("reports.title"))}</h1>
    <form class="controls" id="treaty-form">${offered.length > 1 ? selector("treaty", offered, treaty) : ""}</form>
    <section aria-labelledby="${box}-title">
      <h2 id="${box}-title">${esc(t(scope.request.title))}${tag}</h2>
      <form class="controls" id="${box}-form">
        <label>${esc(t("common.as_of"))}<input type="date" id="${box}-as-of" value="${today()}"></label>
      </form>
      <div class="downloads" id="${box}-downloads"></div>
      <div id="${box}"></div>
    </section>
    <section aria-labelledby="a7-title">
      <h2 id="a7-title">${esc(t("reports.article_7"))}${tag}</h2>
      <form class="controls" id="a7-form">
        <label>${esc(t("reports.year"))}<input type="number" id="a7-year" value="${year}" min="2000" max="2100"></label>
      </form>
      <div class="downloads" id="a7-downloads"></div>
      <div id="a7"></div>
    </section>
    <section aria-labelledby="plan-title">
      <h2 id="plan-title">${esc(t("reports.work_plan"))}${tag}</h2>
      <form class="controls" id="plan-form">
        ${["cancel", "reduce", "clear"].map((m) => `
          <label>${esc(t(`reports.capacity_${m}`))}<input type="number" min="0" step="1000" data-capacity="${m}"></label>`).join("")}
        ${["cancel", "reduce", "clear"].map((m) => `
          <label>${esc(t(`reports.cost_${m}`))}<input type="number" min="0" step="0.01" data-cost="${m}"></label>`).join("")}
      </form>
      <div id="plan" aria-live="polite"></div>
    </section>`;
  const chooser = main.querySelector("#treaty");
  if (chooser) {
    chooser.addEventListener("change", async () => {
      keep(chooser.value);
      await render(main);
    });
  }
  const asOf = () => main.querySelector(`#${box}-as-of`).value || today();
  const extension = () => extensionRequest(main, scope, asOf());
  const a7 = () => article7(main, scope, Number(main.querySelector("#a7-year").value));
  const plan = debounce(() => workPlan(main, scope, asOf()));
  main.querySelector(`#${box}-as-of`).addEventListener("change", extension);
  main.querySelector("#a7-year").addEventListener("change", a7);
  main.querySelector("#plan-form").addEventListener("input", plan);
  main.querySelector("#plan-form").addEventListener("submit", (e) => e.preventDefault());
  await Promise.all([extension(), a7(), workPlan(main, scope, asOf())]);
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

async function extensionRequest(main, scope, asOf) {
  const { box, path, show } = scope.request;
  const base = { path: `${scope.base}/${path}`, query: `?as_of=${asOf}` };
  const name = `${scope.treaty.toLowerCase()}-${path}-${asOf}`;
  downloads(main.querySelector(`#${box}-downloads`), base, name, true);
  try {
    const r = await busy(main.querySelector(`#${box}-title`), api(`${base.path}${base.query}`));
    const passed = r.deadline_in_force < asOf;
    main.querySelector(`#${box}`).innerHTML =
      `<p class="scope" data-scope="${esc(r.contamination || "all")}">${esc(`${r.country} · ${scopeLine(r.contamination, asOf)}`)}</p>` +
      (passed ? `<p class="deadline-passed" data-passed="true">${esc(t("dashboard.deadline_passed", {
        deadline: day(r.deadline_in_force), as_of: day(asOf), article: scope.requestArticle }))}</p>` : "") +
      show(r);
  } catch (error) {
    showError(main.querySelector(`#${box}`), error);
  }
}

function annualTable(rows) {
  const annual = rows.map((y) => [y.year, area(y.discovered_m2), area(y.cancelled_m2), area(y.reduced_m2),
    area(y.cleared_m2), area(y.remaining_sha_m2), area(y.remaining_cha_m2)]);
  return table([t("reports.year"), { label: t("flow.discovered"), num: true }, { label: t("flow.cancelled"), num: true },
    { label: t("flow.reduced"), num: true }, { label: t("flow.cleared"), num: true },
    { label: t("reports.sha_31_dec"), num: true }, { label: t("reports.cha_31_dec"), num: true }], annual);
}

// The check with every term, so that it can be redone from the page (the CCM names the
// terms after (d) and (f)).
function checkTable(c) {
  const check = [
    [t("reports.check_d_total"), area(c.d_total_m2 ?? c.total_m2)],
    [t("reports.check_minus_released"), area(-c.minus_released_m2)],
    [t("reports.check_minus_corrected"), area(-c.minus_corrected_m2)],
    [t("reports.check_equals"), area(c.equals_m2)],
    [t("reports.check_f"), area(c.f_remaining_m2 ?? c.remaining_m2)],
    [t("reports.check"), area(c.difference_m2)],
  ];
  return table([t("reports.figure"), { label: t("reports.area"), num: true }], check, { caption: t("reports.check_title") });
}

function regionsTable(rows) {
  return table([t("common.region"), { label: t("state.SHA"), num: true }, { label: t("state.CHA"), num: true }],
    rows.map((g) => [g.name, area(g.sha_m2), area(g.cha_m2)]));
}

function article46(r) {
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
  return `<p>${esc(t("reports.deadline_line", { deadline: day(r.deadline_in_force), eif: day(r.eif) }))}</p>` +
    table([t("reports.figure"), { label: t("reports.area"), num: true }], rows, { caption: t("reports.article_4_6") }) +
    `<h3>${esc(t("reports.check_title"))}</h3>` + checkTable(r.check) +
    `<h3>${esc(t("reports.by_region"))}</h3>` + regionsTable(r.f.by_region) +
    `<h3>${esc(t("reports.annual"))}</h3>` + annualTable(r.annual);
}

function article5(r) {
  const rows = [
    [t("reports.a5_at_eif"), area(r.mined_areas.at_eif_m2)],
    [t("reports.a5_identified"), area(r.mined_areas.identified_after_eif_m2)],
    [t("reports.a5_total"), area(r.mined_areas.total_m2)],
    [t("reports.a5_cancelled"), area(r.since_eif.cancelled_m2)],
    [t("reports.a5_reduced"), area(r.since_eif.reduced_m2)],
    [t("reports.a5_cleared"), area(r.since_eif.cleared_m2)],
    [t("reports.a5_sha"), area(r.remaining.sha_m2)],
    [t("reports.a5_cha"), area(r.remaining.cha_m2)],
    [t("reports.a5_remaining"), area(r.remaining.remaining_m2)],
    [t("reports.a5_check"), area(r.check.difference_m2)],
  ];
  const line = t("reports.a5_deadline_line", {
    eif: day(r.eif), original: day(r.original_deadline), deadline: day(r.deadline_in_force),
  });
  return `<p>${esc(line)}</p>` +
    table([t("reports.figure"), { label: t("reports.area"), num: true }], rows, { caption: t("reports.article_5") }) +
    `<h3>${esc(t("reports.a5_by_region"))}</h3>` + regionsTable(r.remaining.by_region) +
    `<h3>${esc(t("reports.annual"))}</h3>` + annualTable(r.annual);
}

async function article7(main, scope, year) {
  const box = main.querySelector("#a7");
  const base = { path: `${scope.base}/article-7`, query: `?year=${year}` };
  downloads(main.querySelector("#a7-downloads"), base, `${scope.treaty.toLowerCase()}-article-7-${year}`, true);
  if (!can("read")) {
    box.innerHTML = `<p class="note">${esc(t("reports.sign_in_for_article_7"))}</p>`;
    return;
  }
  const mines = scope.treaty === "APMBC";
  try {
    const r = await busy(main.querySelector("#a7-title"), api(`${base.path}${base.query}`));
    const shown = r.areas.slice(0, SHOWN_ROWS);
    const destroyed = Object.entries(r.items_destroyed).map(([kind, count]) => [kind, number(count)]);
    box.innerHTML =
      `<p class="scope" data-scope="${esc(r.contamination || "all")}">${esc(scopeLine(r.contamination, `${year}-12-31`))}</p>` +
      (mines ? `<p class="note">${esc(t("reports.a7_articles_apmbc"))}</p>` : "") +
      table([t("reports.figure"), { label: t("reports.area"), num: true }], [
        [t("state.SHA"), area(r.remaining.sha_m2)], [t("state.CHA"), area(r.remaining.cha_m2)],
        [t("flow.cancelled"), area(r.released.cancelled_m2)], [t("flow.reduced"), area(r.released.reduced_m2)],
        [t("flow.cleared"), area(r.released.cleared_m2)],
      ]) +
      (mines
        ? `<h3>${esc(t("reports.a7_destroyed"))}</h3>` +
          table([t("reports.a7_type"), { label: t("reports.a7_count"), num: true }], destroyed)
        : "") +
      `<h3>${esc(t(mines ? "reports.a7_mined_areas" : "reports.areas", { count: number(r.areas.length) }))}</h3>` +
      (shown.length < r.areas.length
        ? `<p class="note" data-shown="${shown.length}" data-total="${r.areas.length}">${esc(t("reports.shown_of", {
          shown: number(shown.length), total: number(r.areas.length) }))}</p>` : "") +
      table([t("common.reference"), t("common.region"), t("common.class"), { label: t("map.remaining"), num: true }],
        shown.map((a) => [a.reference, a.region || "—", a.hazard_class, area(a.remaining_m2)]));
  } catch (error) {
    showError(box, error);
  }
}

async function workPlan(main, scope, asOf) {
  const box = main.querySelector("#plan");
  const query = new URLSearchParams({ as_of: asOf });
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
    const plan = await busy(main.querySelector("#plan-title"), api(`${scope.base}/work-plan?${query}`));
    const currency = scope.currency;
    const rows = plan.years.map((y) => [y.year, area(y.cancelled_m2), area(y.reduced_m2), area(y.cleared_m2),
      area(y.remaining_sha_m2 + y.remaining_cha_m2), money(y.cost, currency)]);
    box.innerHTML = `<p class="scope">${esc(scopeLine(plan.contamination, plan.as_of))}</p>` +
      `<p data-completion="${plan.completion_year ?? ""}">${esc(t("reports.plan_summary", {
      year: plan.completion_year ?? "—",
      within: plan.within_deadline ? t("common.yes") : t("common.no"),
      extension: number(plan.extension_years_needed ?? 0),
    }))}</p><p class="note" data-requests="${plan.extension_requests_needed ?? ""}">${esc(t(`reports.plan_requests.${scope.treaty}`, {
      count: number(plan.extension_requests_needed ?? 0),
      years: number(plan.max_extension_years),
    }))}</p><p class="note">${esc(t(given === 3 ? "reports.basis_given" : "reports.basis_trailing"))}</p>` +
      table([t("reports.year"), { label: t("flow.cancelled"), num: true }, { label: t("flow.reduced"), num: true },
        { label: t("flow.cleared"), num: true }, { label: t("reports.remaining_end"), num: true },
        { label: currency ? t("reports.cost_in", { currency }) : t("reports.cost"), num: true }], rows);
  } catch (error) {
    showError(box, error);
  }
}

// What a report's figures cover and the date they stand at.
function scopeLine(contamination, asOf) {
  const scope = contamination ? t("reports.scope_one", { contamination }) : t("reports.scope_all");
  return t("reports.scope_line", { scope, date: day(asOf) });
}
