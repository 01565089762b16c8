// PyScript's `interpreter` module: Pyodide's own loadPyodide, restoring the memory snapshot made at
// build time (scripts/make_snapshot.mjs: CPython started, `core` and the stdlib the app uses already
// imported), on every boot, the first visit included. Its download starts at once, in parallel with
// Pyodide's own files. The snapshot API is underscored in Pyodide 314: on any error (a corrupt or
// stale file, another Pyodide build) we boot normally, which only costs time.
// The build fills in SNAPSHOT. This file lives outside vendor/ (which servers may cache for long)
// because it changes with every build; it points Pyodide at vendor/pyodide/ itself.
import { loadPyodide as loadPlain, version } from "../vendor/pyodide/pyodide.mjs";

export { version };

const SNAPSHOT = new URL("__SNAPSHOT__", import.meta.url).href;
const INDEX_URL = new URL("../vendor/pyodide/", import.meta.url).href;

function note(detail) {
  globalThis.schulteBoot = { ...(globalThis.schulteBoot || {}), ...detail };
}

async function snapshotBytes() {
  const response = await fetch(SNAPSHOT);
  if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function boot(options) {
  const started = performance.now();
  note({ loaderStarted: started });
  if (!new URLSearchParams(location.search).has("nosnapshot")) {
    const bytes = snapshotBytes();
    try {
      const pyodide = await loadPlain({ ...options, _loadSnapshot: bytes });
      // The snapshot was made with a fixed entropy stream (so that builds are reproducible): give
      // `random` this browser's entropy. Seeds and ids come from `secrets`/os.urandom, always fresh.
      pyodide.runPython("import random; random.seed()");
      note({ snapshot: true, loadMs: performance.now() - started, loaderDone: performance.now() });
      return pyodide;
    } catch (error) {
      bytes.catch(() => {});
      console.warn("Pyodide memory snapshot could not be restored; booting normally.", error);
      note({ snapshotError: String(error) });
    }
  }
  const pyodide = await loadPlain(options);
  note({ snapshot: false, loadMs: performance.now() - started, loaderDone: performance.now() });
  return pyodide;
}

let early = null;

/**
 * Start the interpreter now, before PyScript asks for it. boot.js calls this as soon as the page
 * runs: PyScript first loads its own chunks, opens its IndexedDB package cache and reads its config
 * (about half a second here), and the interpreter's restore overlaps all of that.
 */
export function preload() {
  early ??= boot({ indexURL: INDEX_URL });
  return early;
}

/**
 * What PyScript calls. It passes `indexURL` (ours wins), and `stdout`/`stderr` line callbacks, which
 * are attached to an interpreter started early; this app asks PyScript for no packages.
 */
export async function loadPyodide({ stdout, stderr, ...pyscriptOptions } = {}) {
  const pyodide = await (early ?? boot({ ...pyscriptOptions, indexURL: INDEX_URL }));
  if (stdout) pyodide.setStdout({ batched: stdout });
  if (stderr) pyodide.setStderr({ batched: stderr });
  return pyodide;
}
