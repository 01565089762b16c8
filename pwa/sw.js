// The app's service worker: a precache of every file the app needs, so that after the first visit it
// works with the network off. The build (scripts/build_web.mjs) writes the list below: each file
// with the SHA-256 of its content (its revision).
//
// Why not Workbox's generateSW: its install fetches every revisioned file with `cache: "reload"`,
// so a first visit downloaded the whole app twice (once for the page, once for the precache). Here
// the install first takes the copy the page has just loaded from the HTTP cache (`force-cache`),
// checks it against the revision, and goes to the network only when that copy is missing or stale.
// boot.js registers this worker once the app is playable, so that copy is there.
//
// A new version waits (no skipWaiting on install) until the player presses "Reload" in the update
// prompt (boot.js posts SKIP_WAITING), so a game is never swapped out from under them.
const PRECACHE = self.__PRECACHE__;
const CACHE = "schulte-precache-v1";
const SCOPE = new URL("./", self.location).href;
const keyOf = (entry) => `${new URL(entry.url, SCOPE).href}?__rev=${entry.revision}`;
const KEYS = new Map(PRECACHE.map((entry) => [new URL(entry.url, SCOPE).href, keyOf(entry)]));
const OLD_CACHES = /^(workbox-precache|schulte-pyodide-snapshot)/;

async function sha256(response) {
  const digest = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The file at `entry.revision`: from the HTTP cache if it holds that revision, else the network. */
async function fetchRevision(entry) {
  const url = new URL(entry.url, SCOPE).href;
  for (const cache of ["force-cache", "reload"]) {
    const response = await fetch(url, { cache, credentials: "same-origin" });
    if (response.ok && (await sha256(response)).startsWith(entry.revision)) return response;
  }
  throw new Error(`precache: ${entry.url} does not match its revision ${entry.revision}`);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const entry of PRECACHE) {
        const key = keyOf(entry);
        if (!(await cache.match(key))) await cache.put(key, await fetchRevision(entry));
      }
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const current = new Set(KEYS.values());
      for (const request of await cache.keys()) if (!current.has(request.url)) await cache.delete(request);
      for (const name of await caches.keys()) if (OLD_CACHES.test(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  url.search = "";
  url.hash = "";
  // A navigation to the app (with or without a query) is its page.
  if (request.mode === "navigate" && url.href === SCOPE) url.href = new URL("index.html", SCOPE).href;
  const key = KEYS.get(url.href);
  if (!key) return; // the API and anything else not precached: the network, untouched
  event.respondWith(
    caches.open(CACHE).then(async (cache) => (await cache.match(key)) || fetch(request)),
  );
});
