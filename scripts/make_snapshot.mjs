// Make the Pyodide memory snapshot the app restores on every boot, first visit included.
//
// Node runs the very files the app ships (build/app/vendor/pyodide, the app's Python zip) with
// `_makeSnapshot: true`, imports `core`, the app and the stdlib the app and PyScript use, compiles
// PyScript's own Python package (scripts/snapshot_precompiled.py), and writes
// `makeMemorySnapshot()`. Restoring it in the browser skips CPython's start-up and those imports
// (about 3 s of a 4 s first visit here). The snapshot is tied to the Pyodide build and to the stdlib
// zip (zipimport's directory is in memory), so it is made from the shipped files, never from
// node_modules; the loader falls back to a normal boot if it cannot be restored.
//
// Deterministic: Python's entropy (hash seed, `random`'s state) comes from a fixed stream here, so
// the same inputs give the same bytes, and a rebuild with nothing changed leaves the service
// worker's revision alone (players do not download 5 MB again). The loader reseeds `random` from
// the browser's entropy after every restore; the fixed string-hash seed only matters against
// hash-flooding by untrusted input, which an offline client does not parse.
// Cached in .cache/snapshot/ by a hash of every input.
//
// usage: node scripts/make_snapshot.mjs BUILD_APP_DIR OUT_FILE
import nodeCrypto, { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// What the snapshot imports: `core` and the stdlib modules `core`, web/app and PyScript's own Python
// import at start-up. A module missing here still imports at run time, from the stdlib zip.
const PRELOAD = [
  "core", "asyncio", "json", "secrets", "html", "datetime", "uuid", "dataclasses", "enum", "typing",
  "inspect", "ast", "base64", "functools", "hashlib", "hmac", "math", "random", "collections",
  "collections.abc", "itertools", "pathlib", "re", "weakref", "textwrap", "traceback", "pyodide.ffi",
  "pyodide.code", "pyodide.webloop",
];

const APP_ZIP_PATH = "/lib/schulte-py.zip";
const realNow = Date.now;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** A fixed stream of bytes for Python's entropy while the snapshot is made (SplitMix64). */
function deterministicEntropy() {
  let state = 0x5c4017e0n;
  const next = () => {
    state = (state + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return z ^ (z >> 31n);
  };
  return (array) => {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i += 8) {
      let word = next();
      for (let j = i; j < Math.min(i + 8, bytes.length); j++, word >>= 8n) bytes[j] = Number(word & 0xffn);
    }
    return array;
  };
}

/**
 * PyScript's Python package as PyScript writes it on every boot (its JS bundle holds it as an object
 * of file texts, `src/stdlib/pyscript.js`, read here from the bundle's source map): run-time path ->
 * text. PyScript writes it into the working directory, Pyodide's home.
 */
function pyscriptSources() {
  const dist = join(root, "node_modules", "@pyscript", "core", "dist");
  const map = readdirSync(dist).find((name) => /^core-.*\.js\.map$/.test(name));
  const { sources, sourcesContent } = JSON.parse(readFileSync(join(dist, map), "utf8"));
  const module = sourcesContent[sources.findIndex((source) => source.endsWith("src/stdlib/pyscript.js"))];
  const tree = new Function(`return ${module.replace(/^[\s\S]*?export default/, "").trim().replace(/;$/, "")}`)();
  const files = {};
  const walk = (dir, node) => {
    for (const [name, value] of Object.entries(node)) {
      if (typeof value === "string") files[`${dir}/${name}`] = value;
      else walk(`${dir}/${name}`, value);
    }
  };
  walk("/home/pyodide", tree);
  return files;
}

async function make(app) {
  const vendor = join(app, "vendor", "pyodide");
  // Emscripten takes its entropy from node:crypto's randomFillSync when it runs in Node, C's rand()
  // from Math.random, and file times from Date.now: all fixed while the snapshot is made.
  // Emscripten takes the program's name (Python's sys.executable, sys.argv[0]) from Node's argv: a
  // fixed one keeps the checkout's path out of the snapshot.
  process.argv = [process.argv[0], "/schulte/make_snapshot"];
  const fill = deterministicEntropy();
  nodeCrypto.randomFillSync = fill;
  Math.random = () => fill(new Uint32Array(1))[0] / 2 ** 32;
  Date.now = () => Date.UTC(2026, 0, 1);
  let ticks = 0;
  performance.now = () => ++ticks;
  const { loadPyodide } = await import(pathToFileURL(join(vendor, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL: `${vendor}/`, _makeSnapshot: true, env: { PYTHONHASHSEED: "0" } });
  // The app's zip on sys.path, at the path pyodide-loader.mjs writes it to after a restore: the
  // modules imported here keep their zipimport paths, and one imported later reads the same zip.
  // (A Uint8Array: a Node Buffer fails with "Unknown typed array type 'Buffer'".)
  pyodide.FS.writeFile(APP_ZIP_PATH, new Uint8Array(readFileSync(join(app, "py", "schulte-py.zip"))));
  pyodide.runPython(`import sys; sys.path.insert(1, ${JSON.stringify(APP_ZIP_PATH)})`);
  pyodide.runPython(`import ${PRELOAD.join(", ")}`);
  // PyScript's own Python package, compiled now (scripts/snapshot_precompiled.py).
  pyodide.runPython(readFileSync(join(root, "scripts", "snapshot_precompiled.py"), "utf8"), {
    globals: pyodide.toPy({ __name__: "snapshot_precompiled", SOURCES: JSON.stringify(pyscriptSources()) }),
  });
  // The app's own modules too (compiling them is a fifth of the start-up left after a restore), when
  // they can be imported away from a page: one that touches the DOM at import time cannot, and then
  // the snapshot holds everything else and the page imports the app as before.
  try {
    pyodide.runPython("import app.main");
  } catch (error) {
    console.warn(`snapshot: the app's modules stay out of it (${String(error).split("\n").at(-2)})`);
    pyodide.runPython("import sys\nfor name in [m for m in sys.modules if m == 'app' or m.startswith('app.')]: del sys.modules[name]");
  }
  // All of the above lives as long as the page: out of the collector's generations (`gc.freeze`), a
  // full collection during a game traverses only what the game allocated, not every module's objects.
  pyodide.runPython("import gc; gc.collect(); gc.freeze()");
  return pyodide.makeMemorySnapshot();
}

async function main([app, target]) {
  if (!app || !target) throw new Error("usage: node scripts/make_snapshot.mjs BUILD_APP_DIR OUT_FILE");
  const vendor = join(app, "vendor", "pyodide");
  const key = createHash("sha256");
  for (const name of ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"]) {
    key.update(readFileSync(join(vendor, name)));
  }
  key.update(readFileSync(join(app, "py", "schulte-py.zip")));
  key.update(readFileSync(fileURLToPath(import.meta.url)));
  key.update(readFileSync(join(root, "scripts", "snapshot_precompiled.py")));
  key.update(JSON.stringify(pyscriptSources()));
  const cached = join(root, ".cache", "snapshot", `${key.digest("hex").slice(0, 24)}.bin`);
  if (!existsSync(cached)) {
    const started = realNow();
    const bytes = await make(app);
    mkdirSync(dirname(cached), { recursive: true });
    writeFileSync(`${cached}.tmp`, bytes);
    renameSync(`${cached}.tmp`, cached);
    console.log(`snapshot: made in ${((realNow() - started) / 1000).toFixed(1)} s, ${(bytes.length / 1e6).toFixed(1)} MB`);
  }
  copyFileSync(cached, target);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
