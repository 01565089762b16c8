// Runs before Python: makes the settings screen usable at once, applies the theme, registers the
// service worker and offers "update available — reload". Python (PyScript) attaches to
// `window.schulte` when it is ready and enables the Start button.
import * as storage from "./storage.js";
import * as feedback from "./feedback.js";
import { t } from "./i18n.js";

// Python's interpreter starts now, in parallel with PyScript's own start-up (pyodide-loader.mjs);
// imported dynamically so that the settings screen below never waits for it.
import("./pyodide-loader.mjs").then((loader) => loader.preload());

const SETTINGS_KEY = "schulte.settings.v1";
const SETTINGS_TIME_KEY = "schulte.settings.updated_at.v1";  // when the player last changed them (sync: newer wins)
const DEFAULTS = {
  grid_size: "5", max_time: "120", order: "ASC", hint: false, dot: true,
  theme: "system", haptics: true, sound: false, variant: "classic", reshuffle: false,
};

function loadSettings() {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}") };
  } catch {
    return { ...DEFAULTS };
  }
}

function applyTheme(theme) {
  const root = document.documentElement;
  root.dataset.theme = theme;
  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.querySelector('meta[name="theme-color"]')?.setAttribute("content", dark ? "#101418" : "#1f6feb");
}

function fillForm(form, settings) {
  for (const element of form.elements) {
    if (!element.name || !(element.name in settings)) continue;
    const value = settings[element.name];
    if (element.type === "checkbox") element.checked = Boolean(value);
    else if (element.type === "radio") element.checked = element.value === String(value);
    else element.value = String(value);
  }
  showMaxTime(form);
}

function readForm(form) {
  const data = new FormData(form);
  const settings = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    if (typeof DEFAULTS[key] === "boolean") settings[key] = form.elements[key].checked;
    else if (data.has(key)) settings[key] = String(data.get(key));
  }
  return settings;
}

function showMaxTime(form) {
  const seconds = Number(form.elements.max_time.value);
  const out = document.getElementById("max-time-value");
  out.textContent = `${seconds} s`;
  form.elements.max_time.setAttribute("aria-valuetext", `${seconds} seconds`);
}

const form = document.getElementById("settings-form");
let settings = loadSettings();
fillForm(form, settings);
applyTheme(settings.theme);
form.addEventListener("input", () => {
  settings = readForm(form);
  showMaxTime(form);
  applyTheme(settings.theme);
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  localStorage.setItem(SETTINGS_TIME_KEY, new Date().toISOString());
  dispatchEvent(new Event("schulte:settings"));
});

// Preferences as the account sync sees them: the settings and when they last changed here.
const prefs = {
  get: () => ({ settings, updatedAt: localStorage.getItem(SETTINGS_TIME_KEY) }),
  apply(remote, updatedAt) {
    const known = Object.fromEntries(Object.entries(remote || {}).filter(([key]) => key in DEFAULTS));
    settings = { ...DEFAULTS, ...known };
    fillForm(form, settings);
    applyTheme(settings.theme);
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    localStorage.setItem(SETTINGS_TIME_KEY, updatedAt);
  },
};
form.addEventListener("submit", (event) => event.preventDefault());
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => applyTheme(settings.theme));

// The clock worker: the page only shows what it is told; Python sets `onTick`.
const clock = {
  worker: null,
  onTick: null,
  start() {
    if (!this.worker) {
      this.worker = new Worker(new URL("./timer-worker.js", import.meta.url));
      this.worker.onmessage = (event) => this.onTick && this.onTick(event.data);
    }
    this.worker.postMessage({ type: "start", interval: 50 });
  },
  stop() { this.worker?.postMessage({ type: "stop" }); },
};

function cue(kind) {
  if (settings.sound) feedback.tone(kind);
  if (settings.haptics) feedback.vibrate(kind);
}

window.schulte = {
  storage, feedback, clock, cue, prefs, t,
  // account.js replaces this with a save that also fills the outbox when signed in.
  saveFinished: (json) => storage.saveSession(json),
  settings: () => JSON.stringify(settings),
  bootStarted: performance.now(),
};

// Service worker: precached shell + PyScript + Pyodide + snapshot + core; a new version waits until
// the player chooses to reload, so a game is never swapped out from under them.
async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const toast = document.getElementById("update-toast");
  const reload = document.getElementById("update-reload");
  let refreshing = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (refreshing || !toast.dataset.accepted) return;
    refreshing = true;
    location.reload();
  });
  const offer = (worker) => {
    toast.hidden = false;
    reload.onclick = () => {
      toast.dataset.accepted = "1";
      worker.postMessage({ type: "SKIP_WAITING" });
    };
  };
  try {
    const registration = await navigator.serviceWorker.register("./sw.js", { scope: "./" });
    if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
      });
    });
    window.schulte.registration = registration;
  } catch (error) {
    console.warn("service worker not registered:", error);
  }
}
// Registered once the app is playable and no game is on screen: its install then copies what the
// page has just downloaded from the HTTP cache (pwa/sw.js) instead of downloading it all a second
// time while the page still loads it, and never takes CPU from a game.
function registerWhenIdle() {
  const game = document.getElementById("screen-game");
  if (!game.hidden) {
    const watch = new MutationObserver(() => {
      if (game.hidden) {
        watch.disconnect();
        registerWhenIdle();
      }
    });
    watch.observe(game, { attributes: true, attributeFilter: ["hidden"] });
    return;
  }
  registerServiceWorker();
}
if (location.protocol === "https:" || ["localhost", "127.0.0.1"].includes(location.hostname)) {
  if (navigator.serviceWorker?.controller) registerServiceWorker();
  else addEventListener("schulte:ready", () => setTimeout(registerWhenIdle, 0), { once: true });
}
