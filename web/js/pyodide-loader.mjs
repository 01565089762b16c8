// PyScript's `interpreter` module: Pyodide's own loadPyodide, plus a memory snapshot for warm boots.
//
// After the first visit is playable, a separate module worker boots a throw-away interpreter with
// `_makeSnapshot: true`, imports `core` and the stdlib the app uses, and stores the memory snapshot
// (~30 MB) in Cache Storage under a key tied to this build and Pyodide version. Later boots restore
// it (`_loadSnapshot`) instead of initialising CPython and importing from scratch. The snapshot API
// is underscored in Pyodide 314: on any error we delete the snapshot and boot normally.
// The build fills in BUILD_ID. This file lives outside vendor/ (which servers may cache for long)
// because it changes with every build; it points Pyodide at vendor/pyodide/ itself.
import { loadPyodide as loadPlain, version } from "../vendor/pyodide/pyodide.mjs";

export { version };

const BUILD_ID = "__BUILD_ID__";
const CACHE = "schulte-pyodide-snapshot";
const INDEX_URL = new URL("../vendor/pyodide/", import.meta.url).href;
const KEY = new URL(`./snapshot-${version}-${BUILD_ID}.bin`, INDEX_URL).href;
const PRELOAD = [
  "core", "asyncio", "json", "secrets", "html", "datetime", "uuid", "dataclasses", "enum", "typing",
  "inspect", "ast", "base64", "functools", "hashlib", "hmac", "math", "collections", "pyodide.ffi",
];

function note(detail) {
  globalThis.schulteBoot = { ...(globalThis.schulteBoot || {}), ...detail };
}

async function snapshotResponse() {
  if (!("caches" in globalThis) || new URLSearchParams(location.search).has("nosnapshot")) return null;
  try {
    const cache = await caches.open(CACHE);
    return (await cache.match(KEY)) || null;
  } catch {
    return null;
  }
}

function makeSnapshotLater() {
  if (!("caches" in globalThis) || typeof Worker !== "function") return;
  const start = () => {
    const worker = new Worker(new URL("./snapshot-worker.mjs", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }) => {
      note({ snapshotMade: data });
      worker.terminate();
    };
    worker.postMessage({
      key: KEY, cacheName: CACHE, indexURL: INDEX_URL,
      zipURL: new URL("../py/schulte-py.zip", import.meta.url).href,
      modules: PRELOAD,
    });
  };
  // Leave the first visit's CPU to the player: start once the page has been idle for a moment.
  const idle = globalThis.requestIdleCallback || ((fn) => setTimeout(fn, 1));
  setTimeout(() => idle(start, { timeout: 5000 }), 3000);
}

export async function loadPyodide(pyscriptOptions = {}) {
  const options = { ...pyscriptOptions, indexURL: INDEX_URL };
  const started = performance.now();
  const response = await snapshotResponse();
  if (response) {
    try {
      const bytes = response.arrayBuffer().then((buffer) => new Uint8Array(buffer));
      const pyodide = await loadPlain({ ...options, _loadSnapshot: bytes });
      note({ snapshot: true, loadMs: performance.now() - started });
      return pyodide;
    } catch (error) {
      console.warn("Pyodide memory snapshot could not be restored; booting normally.", error);
      note({ snapshotError: String(error) });
      caches.delete(CACHE);
    }
  }
  const pyodide = await loadPlain(options);
  note({ snapshot: false, loadMs: performance.now() - started });
  makeSnapshotLater();
  return pyodide;
}
