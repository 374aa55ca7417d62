// The page shell: language, session, navigation between the pages (#/name).
import { can, restore, request, session, signOutLocally } from "./api.js";
import { preferredLanguage, setLanguage, t } from "./i18n.js";
import { esc } from "./ui.js";

const PAGES = {
  dashboard: { module: "./pages/dashboard.js", label: "nav.dashboard", allowed: () => true },
  map: { module: "./pages/map.js", label: "nav.map", allowed: () => true },
  upload: { module: "./pages/upload.js", label: "nav.upload", allowed: () => can("submit") },
  // An operator follows its own organisation's submissions; the authority sees them all.
  submissions: {
    module: "./pages/submissions.js",
    label: () => (session.role === "operator" ? "nav.my_submissions" : "nav.submissions"),
    allowed: () => can("read"),
  },
  review: { module: "./pages/review.js", label: "nav.review", allowed: () => can("review") },
  quality: { module: "./pages/quality.js", label: "nav.quality", allowed: () => can("review") },
  // A team leader (an operator account of the team) or an admin sets up the team's phones.
  phones: { module: "./pages/phones.js", label: "nav.phones", allowed: () => can("set up phones") },
  reports: { module: "./pages/reports.js", label: "nav.reports", allowed: () => true },
  signin: { module: "./pages/signin.js", label: "nav.signin", allowed: () => !session.role },
};

let cleanup = null;

function label(page) {
  return typeof page.label === "function" ? page.label() : page.label;
}

function current() {
  const name = location.hash.replace(/^#\/?/, "").split("?")[0] || "dashboard";
  return PAGES[name] ? name : "dashboard";
}

function drawNavigation(active) {
  const nav = document.getElementById("nav");
  nav.innerHTML = Object.entries(PAGES)
    .filter(([, page]) => page.allowed())
    .map(
      ([name, page]) =>
        `<a href="#/${name}"${name === active ? ' aria-current="page"' : ""}>${esc(t(label(page)))}</a>`,
    )
    .join("");
  const who = document.getElementById("who");
  who.textContent = session.role
    ? t("signin.signed_in_as", { user: session.user, role: t(`role.${session.role}`) })
    : t("signin.visitor");
  document.getElementById("sign-out").hidden = !session.role;
}

export async function show() {
  const name = current();
  const page = PAGES[name];
  if (!page.allowed()) {
    location.hash = session.role ? "#/dashboard" : "#/signin";
    return;
  }
  drawNavigation(name);
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const main = document.getElementById("main");
  main.innerHTML = "";
  document.title = `${t(label(page))} · ${t("app.title")}`;
  const module = await import(page.module);
  cleanup = (await module.render(main)) || null;
  main.focus({ preventScroll: true });
}

async function start() {
  await setLanguage(preferredLanguage());
  const chooser = document.getElementById("language");
  chooser.value = document.documentElement.lang;
  chooser.addEventListener("change", async () => {
    await setLanguage(chooser.value);
    await show();
  });
  document.getElementById("sign-out").addEventListener("click", async () => {
    await request("/api/v1/session", { method: "DELETE" }).catch(() => null);
    signOutLocally();
    location.hash = "#/dashboard";
    await show();
  });
  await restore();
  window.addEventListener("hashchange", show);
  await show();
  document.body.dataset.ready = "true";
}

start();
