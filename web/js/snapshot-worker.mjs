// Builds the Pyodide memory snapshot that pyodide-loader.mjs restores on later boots. It runs in
// its own worker because an interpreter made with `_makeSnapshot: true` must never drive the page.
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

self.onmessage = async ({ data: { key, cacheName, indexURL, zipURL, modules } }) => {
  try {
    const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true });
    const zip = await (await fetch(zipURL)).arrayBuffer();
    pyodide.unpackArchive(zip, "zip", { extractDir: "/home/pyodide" });
    pyodide.runPython(`import ${modules.join(", ")}`);
    const bytes = pyodide.makeMemorySnapshot();
    const cache = await caches.open(cacheName);
    for (const request of await cache.keys()) if (request.url !== key) await cache.delete(request);
    await cache.put(key, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
    self.postMessage({ ok: true, bytes: bytes.length });
  } catch (error) {
    self.postMessage({ ok: false, error: String(error) });
  }
};
