// IndexedDB history, one module so every write is one transaction with an id chosen by the client.
//
// Version 1 creates two stores:
//   sessions  keyPath "id"  (the wire format of CONTRACT.md, tap log included)
//   outbox    keyPath "id"  (sessions waiting for the server; the sync issue writes it in the same
//                            transaction as `sessions` via saveSession(..., {outbox: true}))
// Version 2 adds:
//   sync      keyPath "id"  (what the server answered for a session: {id, state: "synced"|"rejected",
//                            verified, reasons}, or {id, state: "deleting"}: deleted here, not yet
//                            there); a session with no entry was never confirmed.
// Version 3 adds indexes: outbox "started_at" (a sync batch reads the oldest 50, not the whole outbox)
// and sync "state" (the sync loop finds the tombstones without reading every session's state).
// A later version adds stores or indexes in `upgrade` under `if (oldVersion < 4)`, never by editing v1.
// Values cross the Python boundary as JSON text: one cheap conversion, no proxies to leak.

const DB_NAME = "schulte";
const DB_VERSION = 3;
let dbPromise = null;

function upgrade(db, oldVersion, tx) {
  if (oldVersion < 1) {
    const sessions = db.createObjectStore("sessions", { keyPath: "id" });
    sessions.createIndex("started_at", "started_at");
    db.createObjectStore("outbox", { keyPath: "id" });
  }
  if (oldVersion < 2) db.createObjectStore("sync", { keyPath: "id" });
  if (oldVersion < 3) {
    tx.objectStore("outbox").createIndex("started_at", "started_at");
    tx.objectStore("sync").createIndex("state", "state");
  }
}

export function openDB() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion, request.transaction);
      request.onsuccess = () => {
        const db = request.result;
        // Another tab opened a newer version: let it upgrade, reopen lazily next time.
        db.onversionchange = () => { db.close(); dbPromise = null; };
        resolve(db);
      };
      request.onerror = () => { dbPromise = null; reject(request.error); };
    });
  }
  return dbPromise;
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // A request error bubbles here first; only an abort (which follows unless it was handled) fails.
    tx.onabort = () => reject(tx.error || new Error("IndexedDB transaction aborted"));
  });
}

function requestValue(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Store one finished session (JSON text); resolves when the transaction has committed. */
export async function saveSession(json, { outbox = false } = {}) {
  const session = JSON.parse(json);
  const db = await openDB();
  const stores = outbox ? ["sessions", "outbox"] : ["sessions"];
  const tx = db.transaction(stores, "readwrite", { durability: "strict" });
  tx.objectStore("sessions").put(session);
  if (outbox) tx.objectStore("outbox").put(session);
  await done(tx);
  return session.id;
}

/** Every stored session, oldest first, as JSON text. */
export async function listSessions() {
  const db = await openDB();
  const tx = db.transaction("sessions", "readonly");
  const all = await requestValue(tx.objectStore("sessions").index("started_at").getAll());
  return JSON.stringify(all);
}

/**
 * Delete a session from history. One the server may hold (confirmed, or in the outbox, maybe mid-upload)
 * leaves a tombstone in `sync`, {id, state: "deleting"}, until the sync loop has deleted it there too:
 * until then nothing pulled from the server brings it back.
 */
export async function deleteSession(id) {
  const db = await openDB();
  const tx = db.transaction(["sessions", "outbox", "sync"], "readwrite", { durability: "strict" });
  const known = await requestValue(tx.objectStore("sync").get(id));
  const waiting = await requestValue(tx.objectStore("outbox").getKey(id));
  tx.objectStore("sessions").delete(id);
  tx.objectStore("outbox").delete(id);
  if (known || waiting !== undefined) tx.objectStore("sync").put({ id, state: "deleting" });
  await done(tx);
}

/** Which of `ids` were deleted here (a tombstone in `sync`); one lookup each, not a scan of history. */
async function deletingAmong(tx, ids) {
  const sync = tx.objectStore("sync");
  const states = await Promise.all(ids.filter(Boolean).map((id) => requestValue(sync.get(id))));
  return new Set(states.filter((state) => state?.state === "deleting").map((state) => state.id));
}

/** Ids deleted here that the server may still hold. */
export async function pendingDeletions() {
  const db = await openDB();
  const states = db.transaction("sync", "readonly").objectStore("sync").index("state");
  return requestValue(states.getAllKeys("deleting"));
}

/** The server no longer holds `id` (deleted, or never had it): drop its tombstone. */
export async function deletionDone(id) {
  const db = await openDB();
  const tx = db.transaction("sync", "readwrite");
  tx.objectStore("sync").delete(id);
  await done(tx);
}

/**
 * Add already-validated sessions (JSON text of a list) in one transaction; ids already stored are
 * left as they are, so importing the same file twice changes nothing. Resolves to the number added.
 */
export async function importSessions(json) {
  const sessions = JSON.parse(json);
  const db = await openDB();
  const tx = db.transaction("sessions", "readwrite");
  const store = tx.objectStore("sessions");
  let added = 0;
  for (const session of sessions) {
    const request = store.add(session);
    request.onsuccess = () => { added += 1; };
    request.onerror = (event) => {
      if (request.error && request.error.name === "ConstraintError") {
        event.preventDefault();
        event.stopPropagation();
      }
    };
  }
  // preventDefault on a ConstraintError keeps the transaction alive: duplicates are skipped, not fatal.
  await done(tx);
  return added;
}

/** Up to `limit` sessions waiting in the outbox (oldest first by start), as objects. */
export async function outboxBatch(limit = 50) {
  const db = await openDB();
  const index = db.transaction("outbox", "readonly").objectStore("outbox").index("started_at");
  return requestValue(index.getAll(null, Number.isFinite(limit) ? limit : undefined));
}

export async function outboxCount() {
  const db = await openDB();
  return requestValue(db.transaction("outbox", "readonly").objectStore("outbox").count());
}

/** Put sessions (objects) into the outbox, e.g. a guest's history offered for upload; idempotent by id. */
export async function enqueue(sessions) {
  const db = await openDB();
  const tx = db.transaction(["outbox", "sync"], "readwrite");
  const outbox = tx.objectStore("outbox");
  const sync = tx.objectStore("sync");
  for (const session of sessions) {
    // Already confirmed by the server: never send again.
    const known = sync.get(session.id);
    known.onsuccess = () => { if (!known.result) outbox.put(session); };
  }
  await done(tx);
}

/**
 * Record the server's answers for one sync batch, in one transaction: each answered id leaves the
 * outbox and its state is kept. Items the server answered without an id stay in the outbox.
 */
export async function confirmSynced(results) {
  const db = await openDB();
  const tx = db.transaction(["outbox", "sync"], "readwrite", { durability: "strict" });
  const deleting = await deletingAmong(tx, results.map((result) => result.id));
  for (const result of results) {
    if (!result.id) continue;
    tx.objectStore("outbox").delete(result.id);
    if (deleting.has(result.id)) continue;  // deleted here while it was being uploaded: delete it there next
    tx.objectStore("sync").put({
      id: result.id,
      state: result.result === "rejected" ? "rejected" : "synced",
      verified: Boolean(result.verified),
      reasons: result.reasons || [],
    });
  }
  await done(tx);
}

/** Sessions from the server (other devices): added to history and marked synced; ids already here are kept. */
export async function mergeRemote(sessions) {
  const db = await openDB();
  const tx = db.transaction(["sessions", "sync"], "readwrite");
  const deleting = await deletingAmong(tx, sessions.map((session) => session.id));
  let added = 0;
  for (const remote of sessions) {
    // What the server added (owner, verdict, arrival) is not part of the wire format.
    const { verified, reasons, user_id: _user, received_at: _received, ...session } = remote;
    if (deleting.has(session.id)) continue;  // deleted on this device; the server hears it next sync
    const request = tx.objectStore("sessions").add(session);
    request.onsuccess = () => { added += 1; };
    request.onerror = (event) => { event.preventDefault(); event.stopPropagation(); };
    tx.objectStore("sync").put({
      id: session.id, state: verified === false ? "rejected" : "synced",
      verified: verified !== false, reasons: reasons || [],
    });
  }
  await done(tx);
  return added;
}

/** The sync state of every session (JSON text of {id: state}), plus the ids still waiting. */
export async function syncStates() {
  const db = await openDB();
  const tx = db.transaction(["sync", "outbox"], "readonly");
  const states = await requestValue(tx.objectStore("sync").getAll());
  const waiting = await requestValue(tx.objectStore("outbox").getAllKeys());
  const byId = {};
  for (const state of states) byId[state.id] = state;
  for (const id of waiting) byId[id] = { id, state: "waiting" };
  return JSON.stringify(byId);
}

/** Sessions in history that the server never confirmed and that are not waiting (guest games). */
export async function unsyncedSessions() {
  const db = await openDB();
  const tx = db.transaction(["sessions", "sync", "outbox"], "readonly");
  const sessions = await requestValue(tx.objectStore("sessions").getAll());
  const known = new Set([
    ...(await requestValue(tx.objectStore("sync").getAllKeys())),
    ...(await requestValue(tx.objectStore("outbox").getAllKeys())),
  ]);
  return sessions.filter((session) => !known.has(session.id));
}
