import { api, signIn } from "../api.js";
import { t } from "../i18n.js";
import { esc } from "../ui.js";

export async function render(main) {
  main.innerHTML = `
    <h1>${esc(t("signin.title"))}</h1>
    <form id="password-form" class="inline" novalidate>
      <label>${esc(t("signin.user"))}<input id="user" name="user" autocomplete="username" required></label>
      <label>${esc(t("signin.password"))}<input id="password" name="password" type="password" autocomplete="current-password" required></label>
      <button class="primary" type="submit">${esc(t("signin.submit"))}</button>
    </form>
    <form id="token-form" class="inline" novalidate>
      <label>${esc(t("signin.token"))}<input id="token" name="token" autocomplete="off" size="50"></label>
      <button type="submit">${esc(t("signin.with_token"))}</button>
    </form>
    <p id="signin-message" role="alert" class="error"></p>
    <p class="note">${esc(t("signin.visitor_note"))}</p>`;
  const message = main.querySelector("#signin-message");
  const done = () => {
    location.hash = "#/dashboard";
  };
  main.querySelector("#password-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    try {
      const result = await api("/api/v1/session", {
        method: "POST",
        json: { user: main.querySelector("#user").value, password: main.querySelector("#password").value },
      });
      await signIn(result.token);
      done();
    } catch (error) {
      message.textContent = t("signin.failed", { message: error.message });
    }
  });
  main.querySelector("#token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    try {
      await signIn(main.querySelector("#token").value.trim());
      done();
    } catch (error) {
      message.textContent = t("signin.failed", { message: error.message });
    }
  });
}
