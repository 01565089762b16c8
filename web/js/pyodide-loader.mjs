// PyScript's `interpreter` module: Pyodide's own loadPyodide, restoring the memory snapshot made at
// build time (scripts/make_snapshot.mjs: CPython started, `core`, the app and the stdlib they use
// already imported), on every boot, the first visit included. The snapshot API is underscored in
// Pyodide 314: on any error (a corrupt or stale file, another Pyodide build) we boot normally, which
// only costs time.
//
// index.html preloads this module, Pyodide's and the app's zip, so they download while the page is
// parsed; boot.js starts the interpreter (preload.js) long before PyScript has loaded its own chunks
// and asks for an interpreter (it then gets this one). The snapshot is shipped packed
// (snapshot-pack.mjs: its all-zero pages left out) and arrives unpacked from a worker (snapshot-fetch.mjs).
// This file lives outside vendor/ (which servers may cache for long) because it changes with the app;
// it points Pyodide at vendor/pyodide/ itself.
import { loadPyodide as loadPlain, version } from "../vendor/pyodide/pyodide.mjs";
import { SNAPSHOT_LENGTH, takeSnapshot, wantsSnapshot } from "./snapshot-fetch.mjs";

export { version };

const INDEX_URL = new URL("../vendor/pyodide/", import.meta.url).href;
const APP_ZIP = new URL("../py/schulte-py.zip", import.meta.url).href;
// `core` and the app (web/app) are imported from their zip where the snapshot was made (zipimport;
// make_snapshot.mjs uses the same path). A module the snapshot did not import still imports from it.
const APP_ZIP_PATH = "/lib/schulte-py.zip";

function note(detail) {
  globalThis.schulteBoot = { ...(globalThis.schulteBoot || {}), ...detail };
}

async function bytesOf(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function boot(options) {
  const started = performance.now();
  note({ loaderStarted: started });
  const appZip = bytesOf(APP_ZIP);
  appZip.catch(() => {});
  if (wantsSnapshot) {
    try {
      const pyodide = await loadPlain({
        ...options,
        _loadSnapshot: SNAPSHOT_LENGTH,  // Pyodide makes a zeroed stand-in of this length
        createPyodideModule: restoringOnArrival(takeSnapshot()),
      });
      pyodide.FS.writeFile(APP_ZIP_PATH, await appZip);
      // The snapshot was made with a fixed entropy stream (so that builds are reproducible): give
      // `random` this browser's entropy. Seeds and ids come from `secrets`/os.urandom, always fresh.
      pyodide.runPython("import random; random.seed()");
      note({ snapshot: true, loadMs: performance.now() - started, loaderDone: performance.now() });
      return pyodide;
    } catch (error) {
      console.warn("Pyodide memory snapshot could not be restored; booting normally.", error);
      note({ snapshotError: String(error) });
    }
  }
  const pyodide = await loadPlain(options);
  pyodide.FS.writeFile(APP_ZIP_PATH, await appZip);
  pyodide.runPython(`import sys; sys.path.insert(1, ${JSON.stringify(APP_ZIP_PATH)})`);
  note({ snapshot: false, loadMs: performance.now() - started, loaderDone: performance.now() });
  return pyodide;
}

/**
 * Pyodide's module factory, restoring `snapshot` once it has arrived. Pyodide itself waits for the
 * snapshot before it even starts on its wasm (9.6 MB to download and compile); here the wasm streams
 * and compiles while the worker still fetches the snapshot, and only the restore waits for it. Pyodide
 * sizes its memory by the `_loadSnapshot` it is given: here only the snapshot's length. Pyodide keeps
 * its options (this factory among them) for the life of the page, so the 31.5 MB are let go of here
 * once restored.
 */
function restoringOnArrival(snapshot) {
  let pending = snapshot;
  return async (settings) => {
    const { default: createModule } = await import("../vendor/pyodide/pyodide.asm.mjs");
    const module = await createModule(settings);
    const bytes = await pending;
    pending = null;
    const restore = module.API.restoreSnapshot;
    module.API.restoreSnapshot = () => {
      module.API.restoreSnapshot = restore;
      return restore(bytes);
    };
    return module;
  };
}

let early = null;

/** Start the interpreter (once): index.html's early script, boot.js and PyScript all get this one. */
export function preload() {
  early ??= boot({ indexURL: INDEX_URL });
  return early;
}

/**
 * What PyScript calls. It passes `indexURL` (ours wins), and `stdout`/`stderr` line callbacks, which
 * are attached to the interpreter started early; this app asks PyScript for no packages.
 */
export async function loadPyodide({ stdout, stderr } = {}) {
  const pyodide = await preload();
  if (stdout) pyodide.setStdout({ batched: stdout });
  if (stderr) pyodide.setStderr({ batched: stderr });
  const runPythonAsync = pyodide.runPythonAsync;
  pyodide.runPythonAsync = function (code, options) {
    if (PYSCRIPT_PREAMBLE.test(code)) {
      pyodide.runPythonAsync = runPythonAsync;  // once: PyScript writes its package on start-up only
      code = writeFilesFromJs(pyodide, code);
    }
    return runPythonAsync.call(this, code, options);
  };
  return pyodide;
}

/** How the script begins with which PyScript writes its own Python package on start-up. */
const PYSCRIPT_PREAMBLE = /^import os as _os\nfrom pathlib import Path as _Path\n_path = None\n/;
const FILE_LINE = /^_path = _Path\((".*")\)$/;
const WRITE_LINE = /^_path\.write_text\((".*"),encoding="utf-8"\)$/;

/**
 * PyScript's start-up script writes each file of its Python package with two lines of Python,
 * `_path = _Path("<path>")` and `_path.write_text("<text as a JSON string>",encoding="utf-8")`: 110 KB
 * of source that Python parses and compiles on every boot (26–73 ms at 1×, about 0.3 s at 4×). Here
 * each such pair is written from JS instead (the same text, as UTF-8, at the same path, relative to
 * the same working directory) and dropped from the script; every other line still runs as Python.
 */
function writeFilesFromJs(pyodide, code) {
  const lines = code.split("\n");
  const kept = [];
  for (let i = 0; i < lines.length; i += 1) {
    const file = FILE_LINE.exec(lines[i]);
    const text = file && WRITE_LINE.exec(lines[i + 1] ?? "");
    if (!text) {
      kept.push(lines[i]);
      continue;
    }
    const path = JSON.parse(file[1]);
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")) || ".");
    pyodide.FS.writeFile(path, JSON.parse(text[1]));
    i += 1;
  }
  return kept.join("\n");
}

preload();
