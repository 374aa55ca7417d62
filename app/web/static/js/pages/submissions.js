// What became of each upload and each fact sent for review: its status, who decided, when
// and why; a pending one can be withdrawn by the organisation that sent it. The authority
// sees every organisation's.
import { api, session } from "../api.js";
import { area, day, kindName, number, t } from "../i18n.js";
import { esc, showError, statusBadge, table, toast, told } from "../ui.js";

export async function render(main) {
  main.innerHTML = `
    <h1>${esc(t(session.role === "operator" ? "nav.my_submissions" : "submissions.title"))}</h1>
    <p class="note">${esc(t("submissions.intro"))}</p>
    <div class="controls">
      <label>${esc(t("submissions.withdraw_reason"))}<input id="withdraw-reason" size="40"></label>
    </div>
    <section aria-labelledby="uploads-title">
      <h2 id="uploads-title">${esc(t("submissions.uploads"))}</h2>
      <div id="uploads" aria-live="polite"></div>
    </section>
    <section aria-labelledby="facts-title">
      <h2 id="facts-title">${esc(t("submissions.facts"))}</h2>
      <div class="controls">
        <label>${esc(t("submissions.show_status"))}
          <select id="fact-status">
            <option value="">${esc(t("submissions.all"))}</option>
            ${["pending", "approved", "rejected", "withdrawn"].map((s) => `<option value="${s}">${esc(t(`status.${s}`))}</option>`).join("")}
          </select>
        </label>
        <span id="fact-upload" class="note"></span>
      </div>
      <div id="facts" aria-live="polite"></div>
    </section>`;
  const state = { importId: null };
  main.querySelector("#fact-status").addEventListener("change", () => facts(main, state));
  await Promise.all([uploads(main, state), facts(main, state)]);
}

async function uploads(main, state) {
  const box = main.querySelector("#uploads");
  try {
    const found = await api("/api/v1/submissions/uploads?limit=200");
    if (!found.uploads.length) {
      box.innerHTML = `<p data-empty="uploads">${esc(t("submissions.no_uploads"))}</p>`;
      return;
    }
    const rows = found.uploads.map((u) => [
      u.edit_of ? { html: `${esc(u.file_name)}<br><span class="note" data-edit-of="${u.edit_of}">${esc(t("submissions.edit_of", { id: u.edit_of }))}</span>` } : u.file_name,
      day(u.recorded_at), u.recorded_by || "—", u.organisation || "—",
      t(`upload.target_${u.target}`), number(u.features),
      { html: statusBadge(u.status) + (u.status === "pending" || u.status === "partly approved"
        ? `<br><span class="note">${esc(counts(u.counts))}</span>` : "") },
      u.reviewed_by || "—", u.reviewed_at ? day(u.reviewed_at) : "—", u.reasons.join(" · ") || "—",
      { html: `<button type="button" data-show="${u.id}">${esc(t("submissions.show_facts"))}</button>` +
        (u.withdrawable ? ` <button type="button" class="danger" data-withdraw-upload="${u.id}">${esc(t("submissions.withdraw"))}</button>` : "") },
    ]);
    box.innerHTML = table([
      t("submissions.col_file"), t("submissions.col_sent"), t("submissions.col_by"), t("submissions.col_organisation"),
      t("submissions.col_holds"), { label: t("submissions.col_features"), num: true }, t("submissions.col_status"),
      t("submissions.col_decided_by"), t("submissions.col_decided_on"), t("submissions.col_reasons"), t("submissions.col_actions"),
    ], rows, { caption: t("submissions.uploads") });
    box.querySelectorAll("tbody tr").forEach((row, i) => (row.dataset.upload = found.uploads[i].id));
    box.querySelectorAll("[data-show]").forEach((button) => button.addEventListener("click", () => {
      const upload = found.uploads.find((u) => String(u.id) === button.dataset.show);
      state.importId = upload.id;
      main.querySelector("#fact-upload").textContent = t("submissions.of_upload", { file: upload.file_name });
      facts(main, state);
      main.querySelector("#facts-title").scrollIntoView();
    }));
    box.querySelectorAll("[data-withdraw-upload]").forEach((button) => button.addEventListener("click", () =>
      withdraw(main, state, `/api/v1/submissions/uploads/${button.dataset.withdrawUpload}/withdraw`)));
  } catch (error) {
    showError(box, error);
  }
}

function counts(c) {
  return ["pending", "approved", "rejected", "withdrawn"]
    .filter((s) => c[s])
    .map((s) => `${t(`status.${s}`)}: ${number(c[s])}`)
    .join(", ");
}

async function facts(main, state) {
  const box = main.querySelector("#facts");
  const query = new URLSearchParams({ limit: "500" });
  const status = main.querySelector("#fact-status").value;
  if (status) query.set("status", status);
  if (state.importId) query.set("import_id", state.importId);
  try {
    const found = await api(`/api/v1/submissions/facts?${query}`);
    if (!found.facts.length) {
      box.innerHTML = `<p data-empty="facts">${esc(t("submissions.no_facts"))}</p>`;
      return;
    }
    const rows = found.facts.map((f) => [
      f.type === "hazard" ? t("review.hazard", { reference: f.id }) : t("review.event", { id: f.id, reference: f.hazard_reference }),
      kindName(f.kind), day(f.date), f.file_name || "—",
      { html: statusBadge(f.status) + (f.voided ? ` (${esc(t("map.voided"))})` : "") },
      f.reviewed_by || "—", f.reviewed_at ? day(f.reviewed_at) : "—", f.reason || "—", area(f.requested_m2),
      { html: f.withdrawable ? `<button type="button" class="danger" data-withdraw-fact="${esc(f.type)}s/${esc(encodeURIComponent(f.id))}">${esc(t("submissions.withdraw"))}</button>` : "" },
    ]);
    box.innerHTML = table([
      t("submissions.col_fact"), t("submissions.col_kind"), t("submissions.col_date"), t("submissions.col_file"),
      t("submissions.col_status"), t("submissions.col_decided_by"), t("submissions.col_decided_on"),
      t("submissions.col_reason"), { label: t("submissions.col_requested"), num: true }, t("submissions.col_actions"),
    ], rows, { caption: t("submissions.facts") });
    box.querySelectorAll("tbody tr").forEach((row, i) => (row.dataset.fact = `${found.facts[i].type}:${found.facts[i].id}`));
    box.querySelectorAll("[data-withdraw-fact]").forEach((button) => button.addEventListener("click", () =>
      withdraw(main, state, `/api/v1/submissions/${button.dataset.withdrawFact}/withdraw`)));
  } catch (error) {
    showError(box, error);
  }
}

async function withdraw(main, state, path) {
  const reason = main.querySelector("#withdraw-reason").value.trim();
  main.querySelectorAll("[data-withdraw-upload], [data-withdraw-fact]").forEach((b) => (b.disabled = true));
  try {
    await api(path, { method: "POST", json: reason ? { reason } : {} });
    toast(t("submissions.withdrawn"));
  } catch (error) {
    toast(told(error));
  }
  await Promise.all([uploads(main, state), facts(main, state)]);
}
