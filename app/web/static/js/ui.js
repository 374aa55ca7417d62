// Small helpers shared by the pages.
import { t, termOr } from "./i18n.js";

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function today() {
  return new Date().toISOString().slice(0, 10);
}

export function toast(message) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.classList.add("show");
  clearTimeout(box.hideTimer);
  box.hideTimer = setTimeout(() => box.classList.remove("show"), 4000);
}

export function showError(where, error) {
  where.innerHTML = `<p class="error" role="alert">${esc(told(error))}</p>`;
}

// What went wrong, for the person at the page: the service's message (in the page's
// language) with the page's own words for what to do; "Something went wrong" only for a
// fault of the service or of the network.
export function told(error) {
  if (error.serverFault === false) return withHint(error.message, error.hint, error.params);
  return t("common.error", { message: error.message });
}

// A message of the service and, for its hint's code, what to do in the terms of this page
// (its lists, boxes and buttons) instead of the API's.
export function withHint(message, hint, params = {}) {
  if (!hint) return message;
  const named = { ...params };
  if (named.property) named.property = termOr(`property.${named.property}`, named.property);
  const words = t(hint, named);
  return words === hint ? message : t("common.with_hint", { message, hint: words });
}

export function debounce(action, wait = 350) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => action(...args), wait);
  };
}

// A table from headers and rows of cells; numeric cells are right-aligned.
export function table(headers, rows, { caption, rowClass } = {}) {
  const head = headers
    .map((h) => `<th scope="col"${h.num ? ' class="num"' : ""}>${esc(h.label ?? h)}</th>`)
    .join("");
  const body = rows
    .map((row, i) => {
      const cls = rowClass ? rowClass(i) : "";
      const cells = row
        .map((cell, j) => {
          const numeric = headers[j] && headers[j].num;
          const html = cell && typeof cell === "object" && "html" in cell ? cell.html : esc(cell);
          return `<td${numeric ? ' class="num"' : ""}>${html}</td>`;
        })
        .join("");
      return `<tr${cls ? ` class="${cls}"` : ""}>${cells}</tr>`;
    })
    .join("");
  const cap = caption ? `<caption class="visually-hidden">${esc(caption)}</caption>` : "";
  return `<div class="table-wrap"><table>${cap}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

// The status of a submission (pending, approved, rejected, withdrawn, partly approved).
export function statusBadge(status) {
  if (!status) return "—";
  const key = status.replace(/ /g, "_");
  return `<span class="status status-${esc(key)}" data-status="${esc(status)}">${esc(t(`status.${key}`))}</span>`;
}

// Marks ``where`` as loading (a spinner, aria-busy) while ``promise`` runs; returns its value.
// Requests started one after the other keep the mark until the last one ends.
export async function busy(where, promise) {
  where.busyCount = (where.busyCount || 0) + 1;
  where.setAttribute("aria-busy", "true");
  where.classList.add("loading");
  try {
    return await promise;
  } finally {
    where.busyCount -= 1;
    if (!where.busyCount) {
      where.removeAttribute("aria-busy");
      where.classList.remove("loading");
    }
  }
}
