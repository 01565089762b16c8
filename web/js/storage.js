// IndexedDB history, one module so every write is one transaction with an id chosen by the client.
//
// Version 1 creates two stores:
//   sessions  keyPath "id"  (the wire format of CONTRACT.md, tap log included)
//   outbox    keyPath "id"  (sessions waiting for the server; the sync issue writes it in the same
//                            transaction as `sessions` via saveSession(..., {outbox: true}))
// A later version adds stores or indexes in `upgrade` under `if (oldVersion < 2)`, never by editing v1.
// Values cross the Python boundary as JSON text: one cheap conversion, no proxies to leak.

const DB_NAME = "schulte";
const DB_VERSION = 1;
let dbPromise = null;

function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    const sessions = db.createObjectStore("sessions", { keyPath: "id" });
    sessions.createIndex("started_at", "started_at");
    db.createObjectStore("outbox", { keyPath: "id" });
  }
}

export function openDB() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
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

export async function deleteSession(id) {
  const db = await openDB();
  const tx = db.transaction("sessions", "readwrite");
  tx.objectStore("sessions").delete(id);
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
