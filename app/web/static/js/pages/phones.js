// Setting up the team's phones: the team leader picks one of the team's operator accounts
// (giving its password, which the service checks) or makes a new one, and gets the QR code
// that ODK Collect or KoboCollect scans, with the five steps beside it. The code holds the
// password: it is shown once, on this page only.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { esc, showError, told } from "../ui.js";

const NEW = "";

export async function render(main) {
  main.innerHTML = `
    <h1>${esc(t("phones.title"))}</h1>
    <p class="note">${esc(t("phones.intro"))}</p>
    <div class="phones">
      <section aria-labelledby="phone-account-title">
        <h2 id="phone-account-title">${esc(t("phones.account"))}</h2>
        <form id="phone-form" novalidate>
          <label>${esc(t("phones.choose"))}
            <select id="phone-account"></select>
          </label>
          <label id="new-name-box">${esc(t("phones.new_name"))}
            <input id="phone-new-name" autocomplete="off" maxlength="100" placeholder="npa-phone-1">
          </label>
          <label id="password-box" hidden>${esc(t("phones.password"))}
            <input id="phone-password" type="password" autocomplete="off">
          </label>
          <label id="renew-box" hidden><input id="phone-renew" type="checkbox"> ${esc(t("phones.renew"))}</label>
          <p id="digest-state" class="note" aria-live="polite"></p>
          <button class="primary" type="submit" id="make-qr">${esc(t("phones.make"))}</button>
        </form>
        <p id="phone-message" role="alert" class="error"></p>
      </section>
      <section aria-labelledby="phone-qr-title" id="phone-result" hidden>
        <h2 id="phone-qr-title">${esc(t("phones.qr"))}</h2>
        <p class="warning" role="note">${esc(t("phones.warning"))}</p>
        <div id="qr" class="qr"></div>
        <dl id="qr-settings" class="settings"></dl>
      </section>
      <section aria-labelledby="phone-steps-title">
        <h2 id="phone-steps-title">${esc(t("phones.steps"))}</h2>
        <ol class="steps">${[1, 2, 3, 4, 5].map((i) => `<li>${esc(t(`phones.step${i}`))}</li>`).join("")}</ol>
      </section>
    </div>`;
  const state = { accounts: [], maySetNewPassword: false };
  try {
    const found = await api("/api/v1/phones/accounts");
    state.accounts = found.accounts;
    state.maySetNewPassword = found.may_set_new_password;
  } catch (error) {
    showError(main.querySelector("#phone-message"), error);
    return;
  }
  const select = main.querySelector("#phone-account");
  if (!select) return; // another page was opened meanwhile
  const listAccounts = () => {
    select.innerHTML =
      `<option value="${NEW}">${esc(t("phones.new_account"))}</option>` +
      state.accounts
        .map((a) => `<option value="${esc(a.name)}">${esc(a.name)} (${esc(a.organisation)})</option>`)
        .join("");
  };
  listAccounts();
  main.querySelector("#renew-box").querySelector("input").disabled = !state.maySetNewPassword;
  const chosen = () => state.accounts.find((a) => a.name === select.value);
  const showChoice = () => describe(main, chosen(), state.maySetNewPassword);
  select.addEventListener("change", showChoice);
  main.querySelector("#phone-renew").addEventListener("change", showChoice);
  showChoice();
  main.querySelector("#phone-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const setup = await make(main, chosen());
    if (setup && !chosen()) {
      // The new account is one of the team's now: chosen, for a second phone.
      state.accounts.push({
        name: setup.user, organisation: setup.organisation, digest_ready: true, has_password: true,
      });
      listAccounts();
      select.value = setup.user;
      main.querySelector("#phone-new-name").value = "";
      showChoice();
    }
  });
}

// What the form asks for the account chosen, and whether Collect can sign in with it yet.
function describe(main, account, maySetNewPassword) {
  const renew = main.querySelector("#phone-renew").checked;
  main.querySelector("#new-name-box").hidden = Boolean(account);
  main.querySelector("#password-box").hidden = !account || renew;
  main.querySelector("#renew-box").hidden = !account || !maySetNewPassword;
  const state = main.querySelector("#digest-state");
  state.dataset.digest = account ? String(account.digest_ready) : "new";
  if (!account) state.textContent = t("phones.new_note");
  else if (!account.has_password) state.textContent = t("phones.no_password", { user: account.name });
  else if (account.digest_ready) state.textContent = t("phones.digest_ready");
  else state.textContent = t("phones.digest_missing", { user: account.name });
  state.classList.toggle("warning", Boolean(account) && !account.digest_ready);
}

async function make(main, account) {
  const message = main.querySelector("#phone-message");
  message.textContent = "";
  const button = main.querySelector("#make-qr");
  button.disabled = true;
  try {
    let setup;
    if (!account) {
      setup = await api("/api/v1/phones/accounts", {
        method: "POST",
        json: { name: main.querySelector("#phone-new-name").value.trim() },
      });
    } else {
      const renew = main.querySelector("#phone-renew").checked;
      const password = main.querySelector("#phone-password").value;
      setup = await api(`/api/v1/phones/accounts/${encodeURIComponent(account.name)}/setup`, {
        method: "POST",
        json: renew ? {} : { password },
      });
    }
    main.querySelector("#phone-password").value = "";
    show(main, setup);
    return setup;
  } catch (error) {
    message.textContent = told(error);
    return null;
  } finally {
    button.disabled = false;
  }
}

function show(main, setup) {
  main.querySelector("#phone-result").hidden = false;
  const qr = main.querySelector("#qr");
  qr.innerHTML = setup.svg;
  const svg = qr.querySelector("svg");
  if (svg) {
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", t("phones.qr_label", { user: setup.user }));
  }
  qr.dataset.payload = setup.payload;
  const rows = [
    [t("phones.server"), setup.server_url, "server"],
    [t("phones.user"), setup.user, "user"],
    [t("phones.password_shown"), setup.password, "password"],
    [t("phones.organisation"), setup.organisation, "organisation"],
  ];
  main.querySelector("#qr-settings").innerHTML = rows
    .map(([label, value, key]) => `<dt>${esc(label)}</dt><dd data-setting="${key}"><code>${esc(value)}</code></dd>`)
    .join("");
  if (setup.new_password) {
    main.querySelector("#qr-settings").insertAdjacentHTML(
      "beforeend",
      `<dt></dt><dd class="note">${esc(t("phones.new_password_note"))}</dd>`,
    );
  }
}
