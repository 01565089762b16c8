// Build the installable app into build/app/: shell, PyScript, the needed Pyodide files, a zip of
// core + the front end's Python, the Pyodide memory snapshot (scripts/make_snapshot.mjs), manifest,
// icons and the service worker (pwa/sw.js) with a revisioned precache of all of it; then a `.br` and
// a `.gz` beside every compressible file, which `python -m server` sends by Accept-Encoding.
// Deterministic: the same sources give the same bytes. Slow steps (snapshot, brotli) are cached in
// .cache/ by a hash of their input. usage: npm run build
import { cpSync, mkdirSync, rmSync, readdirSync, writeFileSync, readFileSync, existsSync, renameSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompress, gzip as gzipCb, constants } from "node:zlib";
import { promisify } from "node:util";
import { createHash } from "node:crypto";
import { pack } from "../web/js/snapshot-pack.mjs";

const started = performance.now();
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "app");
const modules = join(root, "node_modules");
const cache = join(root, ".cache", "compressed");
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
/** A built file's path as the app's URL for it, relative to build/app/ ("js/boot.js"). */
const urlOf = (path) => relative(out, path).split("\\").join("/");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// The shell and its JS and CSS.
cpSync(join(root, "web", "css"), join(out, "css"), { recursive: true });
cpSync(join(root, "web", "js"), join(out, "js"), { recursive: true });
cpSync(join(root, "web", "i18n"), join(out, "i18n"), { recursive: true });
// core's rules as a JS module for the parts of the page that work before Python (settings, pickers).
execFileSync("python3", [join(root, "scripts", "web_rules.py"), join(out, "js", "rules.js")], { stdio: "inherit" });
cpSync(join(root, "pwa", "manifest.webmanifest"), join(out, "manifest.webmanifest"));
cpSync(join(root, "pwa", "icons"), join(out, "icons"), { recursive: true });

// intl-messageformat's self-contained bundle (ICU messages for web/js/i18n.js; no eval, so the CSP holds).
mkdirSync(join(out, "vendor", "intl-messageformat"), { recursive: true });
cpSync(
  join(modules, "intl-messageformat", "intl-messageformat.iife.js"),
  join(out, "vendor", "intl-messageformat", "intl-messageformat.iife.js"),
);

// Pyodide: only what a stdlib-only program loads (no package wheels, no Node entry points).
const PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"];
mkdirSync(join(out, "vendor", "pyodide"), { recursive: true });
for (const name of PYODIDE_FILES) cpSync(join(modules, "pyodide", name), join(out, "vendor", "pyodide", name));
// The lock file lists Pyodide's 357 packages, none of which the app ships: an empty list (with the
// real `info`, whose ABI Pyodide checks) spares every boot 120 KB of JSON to fetch and parse.
const lock = JSON.parse(readFileSync(join(modules, "pyodide", "pyodide-lock.json"), "utf8"));
writeFileSync(join(out, "vendor", "pyodide", "pyodide-lock.json"), JSON.stringify({ info: lock.info, packages: {} }));
// The stdlib zip stored (brotli packs it better on the wire) and without what the app never imports.
execFileSync("python3", [
  join(root, "scripts", "pack_stdlib.py"), join(modules, "pyodide", "python_stdlib.zip"),
  join(out, "vendor", "pyodide", "python_stdlib.zip"),
], { stdio: "inherit" });

// PyScript: the dist without source maps. Only the chunks a `<script type="py">` page loads at start
// are precached (and so downloaded on a first visit); the editor's CodeMirror, the terminal's xterm,
// MicroPython's, the zip and the graph chunks are copied but never asked for by this app.
const pyscriptDist = join(modules, "@pyscript", "core", "dist");
mkdirSync(join(out, "vendor", "pyscript"), { recursive: true });
for (const name of readdirSync(pyscriptDist)) {
  if (!name.endsWith(".map")) cpSync(join(pyscriptDist, name), join(out, "vendor", "pyscript", name));
}
const PYSCRIPT_USED =
  /^vendor\/pyscript\/(core\.js|core-|toml-|error-|deprecations-manager-|donkey-|py-(terminal|editor|game)-)/;

// core and web/app as one zip, which the interpreter imports from in place (zipimport; pyodide-loader.mjs).
mkdirSync(join(out, "py"), { recursive: true });
execFileSync("python3", [join(root, "scripts", "zip_python.py"), join(out, "py", "schulte-py.zip")], {
  stdio: "inherit",
});

// The memory snapshot, named by its content so that it can be cached for ever; the module that
// fetches it (web/js/snapshot-fetch.mjs) is told its name.
const made = join(out, "py", "snapshot.tmp");
execFileSync("node", [join(root, "scripts", "make_snapshot.mjs"), out, made], { stdio: "inherit" });
const unpacked = new Uint8Array(readFileSync(made));
const packed = pack(unpacked);
rmSync(made);
const snapshotName = `snapshot-${sha256(packed).slice(0, 16)}.bin`;
writeFileSync(join(out, "py", snapshotName), packed);
const fetcher = readFileSync(join(root, "web", "js", "snapshot-fetch.mjs"), "utf8")
  .replace("__SNAPSHOT__", `../py/${snapshotName}`)
  .replace("__SNAPSHOT_LENGTH__", String(unpacked.length));
writeFileSync(join(out, "js", "snapshot-fetch.mjs"), fetcher);
// PyScript's configuration (pyscript.toml) goes inline as JSON: no fetch and no TOML parser at boot.
const pyscriptConfig = execFileSync("python3", ["-c",
  "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb')), separators=(',', ':')))",
  join(root, "pyscript.toml")], { encoding: "utf8" }).trim();
// The page's modules (its module scripts and all they import statically) as preload links.
// Without them a module two imports deep is asked for only once its parent has arrived, and by then the
// interpreter's multi-megabyte downloads hold all six of the browser's connections to this server.
const shell = readFileSync(join(root, "web", "index.html"), "utf8");
const IMPORT = /\b(?:import|export)\s*(?:[\w*{}\s,$]*?from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
function staticImports(url, seen = new Set()) {
  if (seen.has(url)) return seen;
  seen.add(url);
  const source = readFileSync(join(out, url), "utf8");
  for (const [, specifier] of source.matchAll(IMPORT)) {
    staticImports(urlOf(resolve(dirname(join(out, url)), specifier)), seen);
  }
  return seen;
}
const entries = [...shell.matchAll(/<script type="module" src="\.\/([^"]+)"/g)].map(([, url]) => url);
// boot.js's modules first, then the catalog it waits for, then the other scripts' modules: the
// settings screen needs only the first two.
if (!entries.includes("js/boot.js")) throw new Error("index.html: js/boot.js is not a module script");
const bootModules = staticImports("js/boot.js");
const pageModules = entries.reduce((seen, url) => staticImports(url, seen), new Set(bootModules));
const modulePreloads = [
  ...[...bootModules].map((url) => `<link rel="modulepreload" href="./${url}">`),
  `<link rel="preload" href="./i18n/en.json" as="fetch" crossorigin>`,
  ...[...pageModules].filter((url) => !bootModules.has(url)).map((url) => `<link rel="modulepreload" href="./${url}">`),
].join("\n  ");
const page = shell
  .replace("<!-- __MODULE_PRELOADS__ -->", modulePreloads)
  .replace("__PYSCRIPT_CONFIG__", pyscriptConfig.replaceAll("'", "&#39;"));
writeFileSync(join(out, "index.html"), page);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

// The precache: every file the app needs offline, in a stable order, with its content's SHA-256.
const files = walk(out)
  .map(urlOf)
  .filter((url) => !url.startsWith("vendor/pyscript/") || PYSCRIPT_USED.test(url))
  .sort();
const precache = files.map((url) => ({ url, revision: sha256(readFileSync(join(out, url))).slice(0, 32) }));
const sw = readFileSync(join(root, "pwa", "sw.js"), "utf8").replace(
  "self.__PRECACHE__",
  `[\n${precache.map((entry) => `  ${JSON.stringify(entry)}`).join(",\n")}\n]`,
);
writeFileSync(join(out, "sw.js"), sw);

// Precompressed copies, made in parallel. Brotli's quality 11 is slow on the multi-megabyte files
// (the snapshot, the wasm, the stdlib), which get 10 with a 16 MB window: 1.5 MB smaller than
// quality 9 with the default window, for about a minute of build time once (then cached).
const COMPRESSIBLE = /\.(html|css|js|mjs|json|toml|webmanifest|wasm|bin|zip|png|svg|txt)$/;
const brotli = promisify(brotliCompress);
const gzip = promisify(gzipCb);
async function compressed(bytes, kind) {
  const path = join(cache, `${sha256(bytes)}.${kind}`);
  if (existsSync(path)) return readFileSync(path);
  const big = bytes.length > 1e6;
  const params = {
    [constants.BROTLI_PARAM_QUALITY]: big ? 10 : 11,
    [constants.BROTLI_PARAM_LGWIN]: big ? 24 : 22,
    [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
  };
  const result = kind === "br" ? await brotli(bytes, { params }) : await gzip(bytes, { level: 9 });
  mkdirSync(cache, { recursive: true });
  writeFileSync(`${path}.tmp`, result);
  renameSync(`${path}.tmp`, path);
  return result;
}
const wire = { raw: 0, gzip: 0, br: 0 };
await Promise.all(
  walk(out).map(async (path) => {
    const url = urlOf(path);
    const bytes = readFileSync(path);
    const sizes = { gz: bytes.length, br: bytes.length };
    if (COMPRESSIBLE.test(url)) {
      for (const kind of ["br", "gz"]) {
        const smaller = await compressed(bytes, kind);
        // Not worth a Content-Encoding (already compressed, or tiny): the file is served as it is.
        if (smaller.length > 0.9 * bytes.length) continue;
        writeFileSync(`${path}.${kind}`, smaller);
        sizes[kind] = smaller.length;
      }
    }
    if (files.includes(url)) {
      wire.raw += bytes.length;
      wire.gzip += sizes.gz;
      wire.br += sizes.br;
    }
  }),
);

const summary = {
  files: precache.length, bytes: wire.raw, gzipped_bytes: wire.gzip, brotli_bytes: wire.br, urls: files,
};
writeFileSync(join(out, "precache-summary.json"), JSON.stringify(summary, null, 2));
const mb = (n) => (n / 1e6).toFixed(2);
console.log(
  `build/app: precached ${precache.length} files, ${mb(wire.raw)} MB (${mb(wire.gzip)} MB gzip, ` +
    `${mb(wire.br)} MB brotli, as served) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
