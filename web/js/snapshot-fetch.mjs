// The Pyodide memory snapshot (17 MB packed, 31.5 MB unpacked), fetched from the page's first moments
// by a worker (snapshot-worker.mjs): an async module script in index.html's head, so it starts before
// the page's other modules have run. Read on the main thread, its body alone took 60 ms of a warm
// visit at 1× and 0.3–0.8 s at 4× CPU throttle, and held up every other task of the page; unpacking
// took 7 ms more (35 ms at 4×). pyodide-loader.mjs restores it, and boots normally if this rejects.
// The build fills in the snapshot's name and unpacked length. A page opened with ?nosnapshot boots
// without it.
const SNAPSHOT = new URL("__SNAPSHOT__", import.meta.url).href;

/** The unpacked snapshot's length in bytes: Pyodide sizes its memory by it before the bytes are here. */
export const SNAPSHOT_LENGTH = Number("__SNAPSHOT_LENGTH__");

/** Where the worker cannot start or fails (a browser without module workers): the same, in the page. */
async function inPage(url) {
  const { fetchUnpacked } = await import("./snapshot-pack.mjs");
  return fetchUnpacked(url);
}

function inWorker(url) {
  let worker;
  try {
    worker = new Worker(new URL("./snapshot-worker.mjs", import.meta.url), { type: "module" });
  } catch {
    return inPage(url);
  }
  return new Promise((resolve) => {
    worker.addEventListener("message", ({ data }) => {
      worker.terminate();
      if (data.error) console.warn(data.error);
      resolve(data.bytes ?? inPage(url));  // a corrupt snapshot fails there too, and the loader boots normally
    });
    worker.addEventListener("error", () => {  // the worker's script did not load or run
      worker.terminate();
      resolve(inPage(url));
    });
    worker.postMessage(url);
  });
}

/** False when the page asks to boot without the snapshot (`?nosnapshot`). */
export const wantsSnapshot = !new URLSearchParams(location.search).has("nosnapshot");

let pending = wantsSnapshot ? inWorker(SNAPSHOT) : null;
pending?.catch(() => {});  // the loader reports it

/** The unpacked snapshot (a Uint8Array), or a rejection; once: this module then lets go of it. */
export function takeSnapshot() {
  const taken = pending;
  pending = null;
  return taken;
}
