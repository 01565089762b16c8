// The player's settings: the plain-HTML settings form, saved in localStorage and usable at once, before
// Python. The game's defaults and ranges come from core (rules.js, generated from core/rules.py at build
// time); the rest are the app's own preferences.
import * as feedback from "./feedback.js";
import { setLanguage, t } from "./i18n.js";
import { showSummary } from "./quick-start.js";
import { DEFAULT_MAX_TIME, DEFAULT_SIZE, MAX_TIME_RANGE, MAX_TIME_STEP, ORDERS, SIZES, VARIANTS } from "./rules.js";

const SETTINGS_KEY = "schulte.settings.v1";
const SETTINGS_TIME_KEY = "schulte.settings.updated_at.v1";  // when the player last changed them (sync: newer wins)
const DEFAULTS = {
  grid_size: String(DEFAULT_SIZE), max_time: String(DEFAULT_MAX_TIME), order: ORDERS[0], hint: false, dot: true,
  theme: "system", haptics: true, sound: false, variant: VARIANTS[0], reshuffle: false, language: "auto",
};

function loadSettings() {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}") };
  } catch {
    return { ...DEFAULTS };
  }
}

let settings = loadSettings();
const form = () => document.getElementById("settings-form");

/** The settings as the form holds them now, as JSON text (Python's `app.settings` reads them). */
export const current = () => JSON.stringify(settings);

function applyTheme(theme) {
  const root = document.documentElement;
  root.dataset.theme = theme;
  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.querySelector('meta[name="theme-color"]')?.setAttribute("content", dark ? "#101418" : "#1f6feb");
}

function fillForm(settingsForm, values) {
  for (const element of settingsForm.elements) {
    if (!element.name || !(element.name in values)) continue;
    const value = values[element.name];
    if (element.type === "checkbox") element.checked = Boolean(value);
    else if (element.type === "radio") element.checked = element.value === String(value);
    else element.value = String(value);
  }
  showMaxTime(settingsForm);
}

function readForm(settingsForm) {
  const data = new FormData(settingsForm);
  const values = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    if (typeof DEFAULTS[key] === "boolean") values[key] = settingsForm.elements[key].checked;
    else if (data.has(key)) values[key] = String(data.get(key));
  }
  return values;
}

function showMaxTime(settingsForm) {
  const seconds = Number(settingsForm.elements.max_time.value);
  const out = document.getElementById("max-time-value");
  out.textContent = t("settings.max_time_value", { seconds });
  settingsForm.elements.max_time.setAttribute("aria-valuetext", t("settings.max_time_spoken", { seconds }));
  showSummary(settingsForm);
}

/**
 * The pickers core's sizes decide: the settings' grid chips (before `#size-note`), every
 * `<select data-sizes>` (history filter, boards, duels; `data-sizes="default"` preselects the default
 * size), and the max-time slider's range.
 */
function renderRules(settingsForm) {
  const note = document.getElementById("size-note");
  for (const size of SIZES) {
    const chip = document.createElement("label");
    chip.className = "chip";
    const radio = document.createElement("input");
    Object.assign(radio, { type: "radio", name: "grid_size", value: String(size) });
    chip.append(radio, ` ${size}×${size}`);
    note.before(chip);
  }
  for (const select of document.querySelectorAll("select[data-sizes]")) {
    const preselect = select.dataset.sizes === "default";  // else its first option stays chosen ("All")
    select.append(...SIZES.map((size) => {
      const chosen = preselect && size === DEFAULT_SIZE;
      return new Option(`${size}×${size}`, String(size), chosen, chosen);
    }));
  }
  const slider = settingsForm.elements.max_time;
  [slider.min, slider.max, slider.step] = [MAX_TIME_RANGE[0], MAX_TIME_RANGE[1], MAX_TIME_STEP].map(String);
}

/** Wire the settings form: fill it from storage, save every change, follow the theme. */
export function wire() {
  const settingsForm = form();
  renderRules(settingsForm);
  fillForm(settingsForm, settings);
  applyTheme(settings.theme);
  settingsForm.addEventListener("input", () => {
    settings = readForm(settingsForm);
    showMaxTime(settingsForm);
    applyTheme(settings.theme);
    setLanguage(settings.language);
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    localStorage.setItem(SETTINGS_TIME_KEY, new Date().toISOString());
    dispatchEvent(new Event("schulte:settings"));
  });
  settingsForm.addEventListener("submit", (event) => event.preventDefault());
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => applyTheme(settings.theme));
  addEventListener("schulte:language", () => showMaxTime(settingsForm));
}

/**
 * Preferences as the account sync sees them: the settings and when they last changed here.
 * @type {import("./bus.js").Prefs}
 */
export const prefs = {
  get: () => ({ settings, updatedAt: localStorage.getItem(SETTINGS_TIME_KEY) }),
  apply(remote, updatedAt) {
    const known = Object.fromEntries(Object.entries(remote || {}).filter(([key]) => key in DEFAULTS));
    settings = { ...DEFAULTS, ...known };
    fillForm(form(), settings);
    applyTheme(settings.theme);
    setLanguage(settings.language);
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    localStorage.setItem(SETTINGS_TIME_KEY, updatedAt);
  },
};

/** A game's sound and haptic cue ("correct", "wrong", "finished"), as the settings allow. */
export function cue(kind) {
  if (settings.sound) feedback.tone(kind);
  if (settings.haptics) feedback.vibrate(kind);
}
