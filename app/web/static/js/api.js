// Calls to the service's own API, with the signed-in user's token. The roles and
// organisation rules are the API's: the page only hides what the API would refuse.

const TOKEN = "landrelease.token";

export const session = {
  token: sessionStorage.getItem(TOKEN),
  user: null,
  role: null,
  organisation: null,
};

export class ApiError extends Error {
  constructor(status, detail, field) {
    super(detail);
    this.status = status;
    this.field = field;
  }
}

export function authHeaders() {
  return session.token ? { Authorization: `Bearer ${session.token}` } : {};
}

export async function request(path, { method = "GET", json, form } = {}) {
  const options = { method, headers: { ...authHeaders() } };
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
    const detail = body && (body.detail || body.description) ? body.detail || body.description : String(body);
    const error = new ApiError(response.status, detail, body && body.field);
    error.suggestions = (body && body.suggestions) || [];
    throw error;
  }
  return body;
}

export async function signIn(token) {
  session.token = token;
  try {
    const me = await api("/api/v1/me");
    if (!me.role) throw new ApiError(401, "not signed in");
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
  return false;
}

// A file from the API saved by the browser (the request carries the token).
export async function download(path, fallbackName) {
  const response = await request(path);
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new ApiError(response.status, body.detail || response.statusText);
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
