// Calls to the service's own API, with the signed-in user's token. The roles and
// organisation rules are the API's: the page only hides what the API would refuse.
import { currentLanguage } from "./i18n.js";

const TOKEN = "landrelease.token";

export const session = {
  token: sessionStorage.getItem(TOKEN),
  user: null,
  role: null,
  organisation: null,
};

// An answer of the service that is not a success. Its message is in the page's language
// (the service answers in the language it is asked for); a 4xx says what is wrong with the
// request, with a stable code, and the code of a hint the page words in its own terms.
export class ApiError extends Error {
  constructor(status, body = {}) {
    super(body.message || body.detail || body.description || String(status));
    this.status = status;
    this.field = body.field;
    this.code = body.code;
    this.params = body.params || {};
    this.hint = body.hint;
    this.suggestions = body.suggestions || [];
  }

  // A fault of the service or of the network, not of what the user asked.
  get serverFault() {
    return !this.status || this.status >= 500;
  }
}

export function authHeaders() {
  return session.token ? { Authorization: `Bearer ${session.token}` } : {};
}

export async function request(path, { method = "GET", json, form } = {}) {
  // Every answer, error or file, in the page's language.
  const options = { method, headers: { ...authHeaders(), "Accept-Language": currentLanguage() } };
  if (json !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(json);
  } else if (form !== undefined) {
    options.body = form;
  }
  const response = await fetch(path, options);
  return response;
}

export async function api(path, options = {}) {
  const response = await request(path, options);
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok && !(options.accept || []).includes(response.status)) {
    throw new ApiError(response.status, typeof body === "object" && body ? body : { message: String(body) });
  }
  return body;
}

export async function signIn(token) {
  session.token = token;
  try {
    const me = await api("/api/v1/me");
    if (!me.role) throw new ApiError(401, { code: "access.not_signed_in" });
    Object.assign(session, me);
    sessionStorage.setItem(TOKEN, token);
  } catch (error) {
    signOutLocally();
    throw error;
  }
}

export async function restore() {
  if (!session.token) return;
  try {
    await signIn(session.token);
  } catch {
    signOutLocally();
  }
}

export function signOutLocally() {
  session.token = null;
  session.user = session.role = session.organisation = null;
  sessionStorage.removeItem(TOKEN);
}

export function can(what) {
  const role = session.role;
  if (what === "read") return Boolean(role);
  if (what === "submit") return ["admin", "authority", "operator"].includes(role);
  if (what === "review") return ["admin", "authority"].includes(role);
  if (what === "set up phones") return ["admin", "operator"].includes(role);
  return false;
}

// A file from the API saved by the browser (the request carries the token).
export async function download(path, fallbackName) {
  const response = await request(path);
  if (!response.ok) {
    throw new ApiError(response.status, await response.json().catch(() => ({ message: response.statusText })));
  }
  const disposition = response.headers.get("content-disposition") || "";
  const match = disposition.match(/filename="?([^";]+)"?/);
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = match ? match[1] : fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
