// Player-facing text. Every string the player reads has an id in one catalog per language
// (web/i18n/<lang>.json, ICU MessageFormat through intl-messageformat's self-contained ES module, no
// eval); code asks `t(id, params)` and never spells the text. Numbers, dates and plurals go
// through `Intl` in the player's language. Python reaches `t` and `formatDate` through `window.schulte`
// (web/app/i18n.py). Markup carries its English text plus `data-i18n="id"` (text) and
// `data-i18n-attr="aria-label:id;title:id"` (attributes); `translatePage` fills them in.
import { IntlMessageFormat } from "../vendor/intl-messageformat/intl-messageformat.iife.js";

/** The languages the app speaks, in the order the settings offer them. */
export const LANGUAGES = ["en", "ru", "es", "de"];
const FALLBACK = "en";
const SETTINGS_KEY = "schulte.settings.v1";  // boot.js's settings; read here so no module waits for boot

/** The language to speak for a settings choice ("auto" or a code) and the browser's `languages`. */
export function pickLanguage(choice, preferred = navigator.languages || [navigator.language]) {
  if (choice === "pseudo" || LANGUAGES.includes(choice)) return choice;
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return FALLBACK;
}

function savedChoice() {
  try {
    return JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}").language || "auto";
  } catch {
    return "auto";
  }
}

const catalogs = new Map();
/** A catalog by language, fetched once (the service worker precaches all four). */
function load(language) {
  if (!catalogs.has(language)) {
    catalogs.set(language, fetch(new URL(`../i18n/${language}.json`, import.meta.url)).then((r) => r.json()));
  }
  return catalogs.get(language);
}

let saved = savedChoice();
// `?lang=` wins (tests, and a link in a given language); then the saved setting.
let language = pickLanguage(new URLSearchParams(location.search).get("lang") || saved);
let messages = {};
let english = {};
let compiled = new Map();
// Both fetches start at once: English is the fallback for an id a translation lacks.
[messages, english] = await Promise.all([load(language === "pseudo" ? FALLBACK : language), load(FALLBACK)]);

const locale = () => (language === "pseudo" ? FALLBACK : language);

// Pseudo-locale (`?lang=pseudo`, layout tests only): English with accented letters and each word
// about 40 % longer, so that text which would clip or overflow in a longer language does so here.
const ACCENTS = { a: "á", e: "é", i: "î", o: "ö", u: "ü", A: "Å", E: "É", I: "Î", O: "Ö", U: "Ü", n: "ñ", c: "ç" };
function pseudo(text) {
  return text.replace(/\p{L}+/gu, (word) => {
    const accented = [...word].map((ch) => ACCENTS[ch] || ch).join("");
    return accented + "~".repeat(Math.ceil(word.length * 0.4));
  });
}

/** The message `id` in the player's language with `params` filled in; the id itself when unknown. */
export function t(id, params = {}) {
  let formatter = compiled.get(id);
  if (formatter === undefined) {
    const source = messages[id] ?? english[id];
    if (source === undefined) return id;
    // Most messages are plain text: ICU would return them unchanged, and building a formatter for
    // each (it resolves the locale every time) costs the first paint tens of milliseconds.
    formatter = /[{}']/.test(source) ? new IntlMessageFormat(source, locale()) : { format: () => source };
    compiled.set(id, formatter);
  }
  const text = String(formatter.format(params));
  return language === "pseudo" ? pseudo(text) : text;
}

/** Whether the catalogs have a message `id`. */
export const has = (id) => id in messages || id in english;

/** A verdict or API reason code in words (`reasons.CODE`): the server's English text is never shown. */
export const reasonText = (code) => (has(`reasons.${code}`) ? t(`reasons.${code}`) : t("reasons.other", { code }));

/** A moment (ISO text or ms) as a local date and time in the player's language, e.g. "1 дек. 2026 г., 14:05". */
export function formatDate(moment, options = { dateStyle: "medium", timeStyle: "short" }) {
  return new Intl.DateTimeFormat(locale(), options).format(new Date(moment));
}

/** A calendar day ("2026-12-01") in the player's language, e.g. "1 дек. 2026 г.". */
export function formatDay(day) {
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeZone: "UTC" }).format(new Date(day));
}

/** Fill every `data-i18n` / `data-i18n-attr` element with the current language's text. */
function translatePage() {
  for (const element of document.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n, JSON.parse(element.dataset.i18nParams || "{}"));
  }
  for (const element of document.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of element.dataset.i18nAttr.split(";")) {
      const [attribute, id] = pair.split(":");
      element.setAttribute(attribute.trim(), t(id.trim()));
    }
  }
  document.documentElement.lang = locale();
}

/**
 * Put the message `id` into `element` and keep it there: a change of language retranslates it.
 * For text a view sets once and leaves (status lines), so that it needs no repaint of its own.
 */
export function show(element, id, params = {}) {
  element.dataset.i18n = id;
  element.dataset.i18nParams = JSON.stringify(params);
  element.textContent = t(id, params);
}

/** Speak another language (a settings choice): load its catalog, retranslate the page, tell the views. */
export async function setLanguage(chosen) {
  // Only a new choice counts: saving another setting must not undo a `?lang=` link.
  if (chosen === saved) return;
  saved = chosen;
  const next = pickLanguage(chosen);
  if (next === language) return;
  messages = await load(next === "pseudo" ? FALLBACK : next);
  language = next;
  compiled = new Map();
  translatePage();
  dispatchEvent(new Event("schulte:language"));
}

translatePage();
