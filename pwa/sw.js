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
// Each version of the list has a cache of its own, keyed by the files' plain URLs, so the browser can
// answer the page's requests from it without running this script: the install declares static
// routes (`addRoutes`) from the precached paths to that cache. Through the fetch handler each request
// waited for this worker's thread (one Cache Storage lookup after another: about 100 ms of a warm
// boot's 25 module requests). The fetch handler stays for the page itself and for browsers without
// static routes. A new version fills its own cache, reusing every file whose revision it already holds,
// and waits (no skipWaiting on install) until the player presses "Reload" in the update prompt
// (boot.js posts SKIP_WAITING), so a game is never swapped out from under them.
const PRECACHE = self.__PRECACHE__;
const SCOPE = new URL("./", self.location).href;
const urlOf = (entry) => new URL(entry.url, SCOPE).href;
const PRECACHED = new Set(PRECACHE.map(urlOf));
/** url -> revision: what this version wants, and what it leaves in its cache (LIST) for the next one. */
const REVISIONS = Object.fromEntries(PRECACHE.map((entry) => [entry.url, entry.revision]));
const INDEX = new URL("index.html", SCOPE).href;

/** FNV-1a of the list: the version that names this worker's cache (synchronous, unlike SubtleCrypto). */
function version(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}
const PREFIX = "schulte-app-";
const CACHE = PREFIX + version(JSON.stringify(PRECACHE));
/** Each cache holds its own list (url -> revision) here, so a later version knows what it can reuse. */
const LIST = new URL("__precache-list.json", SCOPE).href;
const OLD_CACHES = /^(schulte-|workbox-precache)/;
/** The one cache of the builds before versioned caches, keyed `url?__rev=revision`. */
const LEGACY = "schulte-precache-v1";
const opened = caches.open(CACHE);

async function sha256(response) {
  const digest = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The file at `entry.revision`: from the HTTP cache if it holds that revision, else the network. */
async function fetchRevision(entry) {
  for (const cache of ["force-cache", "reload"]) {
    const response = await fetch(urlOf(entry), { cache, credentials: "same-origin" });
    if (response.ok && (await sha256(response)).startsWith(entry.revision)) return response;
  }
  throw new Error(`precache: ${entry.url} does not match its revision ${entry.revision}`);
}

/** url -> the copy an earlier version holds at the revision this version wants (a lookup to await). */
async function reusable() {
  const found = new Map();
  for (const name of await caches.keys()) {
    if (name === CACHE) continue;
    const cache = await caches.open(name);
    if (name === LEGACY) {
      for (const entry of PRECACHE) found.set(entry.url, () => cache.match(`${urlOf(entry)}?__rev=${entry.revision}`));
      continue;
    }
    const list = name.startsWith(PREFIX) && (await cache.match(LIST));
    if (!list) continue;
    for (const [url, revision] of Object.entries(await list.json())) {
      if (REVISIONS[url] === revision) found.set(url, () => cache.match(urlOf({ url })));
    }
  }
  return found;
}

/** Pathname patterns of every precached file (URLPattern syntax: its special characters escaped). */
const ROUTES = [
  {
    condition: {
      or: [...PRECACHED].map((url) => ({ urlPattern: { pathname: new URL(url).pathname.replace(/[\\:*?()+{}]/g, "\\$&") } })),
    },
    source: { cacheName: CACHE },
  },
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      // Routes are declared before the cache is filled; they serve nobody until this version is active.
      if (event.addRoutes) await event.addRoutes(ROUTES).catch((error) => console.warn("static routes:", error));
      const cache = await opened;
      const earlier = await reusable();
      for (const entry of PRECACHE) {
        const url = urlOf(entry);
        if (await cache.match(url)) continue;
        const copy = await earlier.get(entry.url)?.();
        await cache.put(url, copy || (await fetchRevision(entry)));
      }
      await cache.put(LIST, new Response(JSON.stringify(REVISIONS), { headers: { "content-type": "application/json" } }));
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE && OLD_CACHES.test(name)) await caches.delete(name);
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
  if (request.mode === "navigate" && url.href === SCOPE) url.href = INDEX;
  if (!PRECACHED.has(url.href)) return; // the API and anything else not precached: the network, untouched
  event.respondWith(opened.then(async (cache) => (await cache.match(url.href)) || fetch(request)));
});
