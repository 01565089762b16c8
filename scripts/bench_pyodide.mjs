// Time core's dashboard figures inside Pyodide (the browser's Python) under Node, offline.
//
// Runs `scripts/bench_core.py --only dashboard` (or the part named on the command line) with the
// repository mounted at /repo, as scripts/pyodide_pytest.mjs does for the tests. Node's V8 runs the
// same WebAssembly as Chromium's, so the figures stand for the browser's, less its DOM work.
//
// usage: node scripts/bench_pyodide.mjs [dashboard|coach|verify|boards]
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const part = process.argv[2] ?? "dashboard";

const py = await loadPyodide();
py.setStdout({ write: (bytes) => process.stdout.write(bytes) && bytes.length });
py.setStderr({ write: (bytes) => process.stderr.write(bytes) && bytes.length });
py.FS.mkdirTree("/repo");
py.FS.mount(py.FS.filesystems.NODEFS, { root: repo }, "/repo");
py.globals.set("part", part);
await py.runPythonAsync(`
import os, runpy, sys
os.chdir("/repo")
sys.path.insert(0, "/repo")
sys.dont_write_bytecode = True
sys.argv = ["scripts/bench_core.py", "--only", part]
runpy.run_path("scripts/bench_core.py", run_name="__main__")
`);
