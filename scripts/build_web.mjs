// Build the installable app into build/app/: shell, PyScript, the needed Pyodide files, a zip of
// core + the front end's Python, manifest, icons, and a Workbox service worker with a revisioned
// precache of all of it. usage: npm run build
import { cpSync, mkdirSync, rmSync, readdirSync, writeFileSync, statSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { generateSW, getManifest } from "workbox-build";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "app");
const modules = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// The shell and its JS and CSS.
cpSync(join(root, "web", "index.html"), join(out, "index.html"));
cpSync(join(root, "web", "css"), join(out, "css"), { recursive: true });
cpSync(join(root, "web", "js"), join(out, "js"), { recursive: true });
cpSync(join(root, "pyscript.toml"), join(out, "pyscript.toml"));
cpSync(join(root, "pwa", "manifest.webmanifest"), join(out, "manifest.webmanifest"));
cpSync(join(root, "pwa", "icons"), join(out, "icons"), { recursive: true });

// Pyodide: only what a stdlib-only program loads (no package wheels, no Node entry points).
const PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];
mkdirSync(join(out, "vendor", "pyodide"), { recursive: true });
for (const name of PYODIDE_FILES) cpSync(join(modules, "pyodide", name), join(out, "vendor", "pyodide", name));

// PyScript: the dist without source maps. The editor's CodeMirror and the terminal's xterm are copied (they are
// only imported on demand) but not precached: this app never asks for them.
const pyscriptDist = join(modules, "@pyscript", "core", "dist");
mkdirSync(join(out, "vendor", "pyscript"), { recursive: true });
for (const name of readdirSync(pyscriptDist)) {
  if (!name.endsWith(".map")) cpSync(join(pyscriptDist, name), join(out, "vendor", "pyscript", name));
}

// core and web/app as one zip, unpacked by PyScript into the interpreter's working directory.
mkdirSync(join(out, "py"), { recursive: true });
execFileSync("python3", [join(root, "scripts", "zip_python.py"), join(out, "py", "schulte-py.zip")], {
  stdio: "inherit",
});

// The interpreter module PyScript loads: Pyodide's loadPyodide plus the memory snapshot, keyed by a
// hash of everything a snapshot holds (the Python zip, the loader, the Pyodide build).
const buildId = createHash("sha256")
  .update(readFileSync(join(out, "py", "schulte-py.zip")))
  .update(readFileSync(join(root, "web", "js", "snapshot-worker.mjs")))
  .update(readFileSync(join(modules, "pyodide", "pyodide.asm.wasm")))
  .digest("hex")
  .slice(0, 16);
const loader = readFileSync(join(root, "web", "js", "pyodide-loader.mjs"), "utf8").replace("__BUILD_ID__", buildId);
writeFileSync(join(out, "js", "pyodide-loader.mjs"), loader);

const UNUSED = /^vendor\/pyscript\/(codemirror|xterm|pyodide_graph|service-worker)/;
const precache = {
  globDirectory: out,
  globPatterns: ["**/*.{html,js,mjs,css,wasm,zip,json,webmanifest,png,toml}"],
  globIgnores: ["sw.js", "workbox-*.js", "precache-summary.json"],
  manifestTransforms: [async (entries) => ({ manifest: entries.filter((e) => !UNUSED.test(e.url)), warnings: [] })],
  // The wasm is ~9 MB: raise Workbox's 2 MiB default or it is silently left out and offline boot fails.
  maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
};
const { manifestEntries } = await getManifest(precache);
const { count, size, warnings } = await generateSW({
  ...precache,
  swDest: join(out, "sw.js"),
  inlineWorkboxRuntime: true,
  mode: "production",
  sourcemap: false,
  cleanupOutdatedCaches: true,
  clientsClaim: true,
  // No skipWaiting: a new version waits until the player presses "Reload" (boot.js posts SKIP_WAITING).
  skipWaiting: false,
  directoryIndex: "index.html",
  ignoreURLParametersMatching: [/.*/],
});
for (const warning of warnings) console.warn("workbox:", warning);

let gzipped = 0;
for (const entry of manifestEntries) gzipped += gzipSync(readFileSync(join(out, entry.url)), { level: 9 }).length;
const summary = { files: count, bytes: size, gzipped_bytes: gzipped };
writeFileSync(join(out, "precache-summary.json"), JSON.stringify(summary, null, 2));
console.log(`build/app: precached ${count} files, ${(size / 1e6).toFixed(2)} MB (${(gzipped / 1e6).toFixed(2)} MB gzipped)`);
