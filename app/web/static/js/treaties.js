// The treaties the programme answers to, and the one the user chose (kept between pages):
// each treaty's figures are those of the contamination it covers (CCM: CMR, APMBC: AP mine).
import { ApiError, api } from "./api.js";
import { t } from "./i18n.js";
import { esc } from "./ui.js";

const KEY = "landrelease.treaty";
export const ALL = "all"; // every contamination type, no treaty

// The programme's settings as of a date, or null when none are recorded yet.
export async function programmeAsOf(asOf) {
  try {
    return await api(`/api/v1/programme?as_of=${asOf}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

// The choices a page offers: the State's treaties (CCM first), and "all" where it may be shown.
export function choices(programme, { withAll = false } = {}) {
  const treaties = programme ? Object.keys(programme.treaties) : [];
  return withAll ? [...treaties, ALL] : treaties;
}

// The choice kept from before when it is still offered, else the first one.
export function chosen(offered) {
  const kept = localStorage.getItem(KEY);
  return offered.includes(kept) ? kept : offered[0];
}

export function keep(choice) {
  localStorage.setItem(KEY, choice);
}

// The contamination type a choice's figures are of (null: all of them).
export function contaminationOf(programme, choice) {
  return choice === ALL || !programme ? null : programme.treaties[choice].contamination[0];
}

// What the figures cover, as people read it: "CCM · cluster munition remnants (CMR)".
export function scopeWords(choice) {
  return t(`treaty.scope.${choice}`);
}

// A labelled select of the choices; the page listens to its changes.
export function selector(id, offered, selected) {
  const options = offered
    .map((choice) => `<option value="${esc(choice)}"${choice === selected ? " selected" : ""}>${esc(t(`treaty.${choice}`))}</option>`)
    .join("");
  return `<label>${esc(t("treaty.label"))}<select id="${id}">${options}</select></label>`;
}

// The tag a heading carries: which treaty and contamination the figures below it cover.
export function scopeTag(choice, contamination) {
  return ` — <span class="scope" data-treaty="${esc(choice)}" data-contamination="${esc(contamination ?? "")}">${esc(scopeWords(choice))}</span>`;
}
