// Run core's test suite inside Pyodide (the browser's Python) under Node, fully offline.
//
// The wheels pytest needs are downloaded beforehand by `nox -s pyodide` into WHEEL_DIR; here nothing
// touches the network: Pyodide loads from node_modules, wheels from disk, and the repository is
// mounted read-only-in-spirit at /repo so the very same files that CPython tests are imported.
//
// usage: node scripts/pyodide_pytest.mjs WHEEL_DIR [pytest args...]
import { readdirSync } from "node:fs";
import { resolve, join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [wheelDir, ...pytestArgs] = process.argv.slice(2);
if (!wheelDir) {
  console.error("usage: node scripts/pyodide_pytest.mjs WHEEL_DIR [pytest args...]");
  process.exit(2);
}
const wheels = readdirSync(wheelDir)
  .filter((name) => name.endsWith(".whl"))
  .map((name) => join(resolve(wheelDir), name));

const py = await loadPyodide();
// Raw writes keep pytest's progress line intact (the default handler splits output per flush).
py.setStdout({ write: (bytes) => process.stdout.write(bytes) && bytes.length });
py.setStderr({ write: (bytes) => process.stderr.write(bytes) && bytes.length });
await py.loadPackage(wheels, { messageCallback: () => {} });
py.FS.mkdirTree("/repo");
py.FS.mount(py.FS.filesystems.NODEFS, { root: repo }, "/repo");
py.globals.set("pytest_args", py.toPy(pytestArgs));
const code = await py.runPythonAsync(`
import os, sys
os.chdir("/repo")
sys.path.insert(0, "/repo")
sys.dont_write_bytecode = True
import pytest
print(f"Pyodide {sys.version.split()[0]} on {sys.platform}")
pytest.main(["-p", "no:cacheprovider", *pytest_args])
`);
process.exit(Number(code));
