// Fetches and unpacks the Pyodide memory snapshot for snapshot-fetch.mjs, off the page's main thread,
// and hands the 31.5 MB over without a copy (transferred). Posts `{ bytes }`, or `{ error }` (the page
// then tries the same itself).
import { fetchUnpacked } from "./snapshot-pack.mjs";

addEventListener("message", async ({ data: url }) => {
  try {
    const bytes = await fetchUnpacked(url);
    postMessage({ bytes }, [bytes.buffer]);
  } catch (error) {
    postMessage({ error: String(error) });
  }
});
