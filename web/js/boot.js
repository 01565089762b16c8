// Runs before Python: makes the settings screen usable at once (settings.js), registers the service
// worker and offers "update available — reload". Python (PyScript) reaches the page through
// `window.schulte` (bus.js) when it is ready and enables the Start button.
// Python's interpreter starts first (preload.js), before i18n.js waits for the player's catalog.
import "./preload.js";
import { schulte } from "./bus.js";
import * as settings from "./settings.js";

settings.wire();
schulte.bootStarted = performance.now();

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
    schulte.registration = registration;
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
