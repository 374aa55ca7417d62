// Every text a person reads comes from a catalogue (i18n/<language>.json); numbers, areas
// and dates are formatted for the language (1 234 567 m² in French, 1,234,567 m² in English).

const LOCALES = { en: "en-GB", fr: "fr-FR" };
let language = "en";
let catalogue = {};

export function currentLanguage() {
  return language;
}

export async function setLanguage(wanted) {
  language = LOCALES[wanted] ? wanted : "en";
  const response = await fetch(`/static/i18n/${language}.json`, { cache: "no-cache" });
  catalogue = await response.json();
  document.documentElement.lang = language;
  localStorage.setItem("landrelease.language", language);
  translateStatic(document);
}

export function preferredLanguage() {
  const saved = localStorage.getItem("landrelease.language");
  if (saved && LOCALES[saved]) return saved;
  return (navigator.language || "en").toLowerCase().startsWith("fr") ? "fr" : "en";
}

export function t(key, values = {}) {
  const text = catalogue[key];
  if (text === undefined) {
    console.warn(`missing text: ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in values ? values[name] : `{${name}}`));
}

// The text of ``key``, or ``fallback`` where the catalogue has none (a name from the service).
export function termOr(key, fallback) {
  return catalogue[key] === undefined ? fallback : t(key);
}

// Text that depends on a count: "<key>.one", "<key>.other" (the language's plural rules).
export function plural(key, count, values = {}) {
  const rule = new Intl.PluralRules(locale()).select(count);
  const chosen = catalogue[`${key}.${rule}`] !== undefined ? `${key}.${rule}` : `${key}.other`;
  return t(chosen, { count: number(count), ...values });
}

export function translateStatic(root) {
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll("[data-i18n-label]")) {
    element.setAttribute("aria-label", t(element.dataset.i18nLabel));
  }
}

function locale() {
  return LOCALES[language];
}

export function number(value, digits = 0) {
  return new Intl.NumberFormat(locale(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

// Areas are shown in whole square metres, always with their unit.
export function area(m2) {
  const whole = Math.round(m2 || 0);
  return `${number(whole === 0 ? 0 : whole)}\u00a0m²`; // never "-0"
}

// An amount with its currency (ISO 4217) when the programme's settings give one.
export function money(value, currency) {
  const amount = number(Math.abs(value) < 0.005 ? 0 : value, Number.isInteger(value) ? 0 : 2);
  return currency ? `${amount}\u00a0${currency}` : amount;
}

export function day(iso) {
  if (!iso) return "";
  const date = new Date(`${String(iso).slice(0, 10)}T00:00:00Z`);
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

export function kindName(kind) {
  return t(`kind.${String(kind).replace(/ /g, "_")}`);
}
