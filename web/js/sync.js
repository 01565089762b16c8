// The sync loop: uploads the outbox with POST /sessions/sync in batches, then deletes on the server the
// games deleted on this device. An item leaves the outbox only in the same transaction that records
// the server's answer for its id, so a closed tab, a dropped connection or a server error at any moment
// leaves it waiting, and the next upload is a `duplicate` (the server is idempotent by id). Runs on
// finish, on `online`, on app start, with exponential backoff; never on the tap path (callers schedule
// it after the save has committed).
import * as api from "./api.js";
import * as storage from "./storage.js";

const BATCH = 50;
const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000];

let enabled = () => false;
let running = null;
let again = false;
let failures = 0;
let retryTimer = null;
let lastError = null;
const statusListeners = [];

export function configure({ isSignedIn }) { enabled = isSignedIn; }
export function onStatus(callback) { statusListeners.push(callback); }

async function report() {
  let waiting = 0;
  try { waiting = await storage.outboxCount(); } catch { /* storage unavailable: say nothing new */ }
  const status = { signedIn: enabled(), waiting, error: lastError, running: running !== null };
  for (const callback of statusListeners) callback(status);
}

async function drain() {
  for (;;) {
    const batch = await storage.outboxBatch(BATCH);
    if (batch.length === 0) break;
    const { data } = await api.authed("POST", "/sessions/sync", { sessions: batch });
    const sent = new Set(batch.map((session) => session.id));
    await storage.confirmSynced(data.filter((result) => result.id && sent.has(result.id)));
    if (!data.some((result) => result.id && sent.has(result.id))) break; // nothing the server could place
    await report();
  }
  // Games deleted on this device: deleted on the server too (already gone there counts as done).
  for (const id of await storage.pendingDeletions()) {
    try {
      await api.authed("DELETE", `/sessions/${id}`);
    } catch (error) {
      if (error.code !== "NOT_FOUND") throw error;
    }
    await storage.deletionDone(id);
  }
}

/** Upload what waits, now (coalesced: one run at a time, one more if asked while running). */
export function syncNow() {
  if (!enabled()) { report(); return Promise.resolve(); }
  if (running) { again = true; return running; }
  clearTimeout(retryTimer);
  running = (async () => {
    try {
      await drain();
      failures = 0;
      lastError = null;
    } catch (error) {
      lastError = error;
      if (error.code === "UNAUTHORIZED") return;  // signed out: nothing to retry until the next sign-in
      const delay = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)];
      failures += 1;
      if (navigator.onLine) retryTimer = setTimeout(syncNow, delay);
    } finally {
      running = null;
      await report();
      if (again) { again = false; syncNow(); }
    }
  })();
  return running;
}

/** Ask for a sync soon, off the current task (e.g. right after a finished game was saved). */
export function schedule() { setTimeout(syncNow, 0); }

export function start() {
  addEventListener("online", () => { failures = 0; syncNow(); });
  addEventListener("schulte:deleted", schedule);
  report();
}
