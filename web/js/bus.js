// `window.schulte`: the page's one shared object, through which the plain-JS modules and the PyScript
// Python (web/app) reach each other. Its whole shape is declared and created here, and sealed: a module
// may fill or call a declared member, never add one, and nothing is replaced behind another module's
// back (a finished game's listeners use `onSessionSaved`). typings/js.pyi is Python's view of it.
//
// Window events that go with it: "schulte:ready" (Python is up), "schulte:settings" (the player
// changed a setting), "schulte:profile" (new server stats in `profile`), "schulte:challenge" (detail:
// JSON of the challenge or duel to play), "schulte:deleted" (a game was deleted here).
import { clock } from "./clock.js";
import * as feedback from "./feedback.js";
import * as format from "./format.js";
import { formatDate, formatDay, reasonText, show as showText, t } from "./i18n.js";
import { showScreen } from "./screens.js";
import * as settings from "./settings.js";
import * as storage from "./storage.js";

/**
 * @typedef {object} Clock
 * @property {Worker | null} worker The timer worker, started on the first game.
 * @property {((workerNow: number) => void) | null} onTick Set by Python: repaint the game's clock.
 * @property {() => void} start
 * @property {() => void} stop
 */

/**
 * @typedef {object} Prefs
 * @property {() => {settings: object, updatedAt: string | null}} get The settings and when they last changed here.
 * @property {(remote: object, updatedAt: string) => void} apply Take the account's newer settings.
 */

/**
 * @typedef {object} Account The signed-in state, filled in by account.js (a guest until then).
 * @property {() => boolean} isSignedIn
 * @property {() => string | null} userId
 * @property {typeof import("./api.js") | null} api
 * @property {typeof import("./sync.js") | null} sync
 */

/**
 * @typedef {object} Insight What the dashboard, the coach and the upgrade need from the server (insight.js).
 * @property {() => string} coachModel The cached coach model, JSON (`null`: core's default table).
 * @property {() => Promise<unknown>} refresh Revalidate the coach model and the premium state.
 * @property {() => boolean} premium Whether the signed-in player has premium (kept for offline opens).
 * @property {(timeMs: number, gridSize: number, orderMode: string, variant: string) => Promise<string>} percentile A time's percentile on a board, JSON.
 * @property {(offsetMinutes: number) => Promise<string>} advanced The premium analytics, JSON.
 * @property {() => Promise<string>} upgrade Open the Payment Link, or say how to get premium.
 */

/** @typedef {(session: object, id: string) => void} SessionSavedListener */

/**
 * @typedef {object} Schulte
 * @property {typeof storage} storage IndexedDB: history, outbox, sync states.
 * @property {typeof feedback} feedback Sound, haptics and the board's paint helpers.
 * @property {typeof format} format How times and boards read on screen.
 * @property {Clock} clock
 * @property {typeof t} t Player-facing text from the catalogs.
 * @property {typeof showText} showText Put a message into an element and keep it there across language changes.
 * @property {typeof reasonText} reasonText A verdict or API reason code in words.
 * @property {typeof formatDate} formatDate A moment as a local date and time in the player's language.
 * @property {typeof formatDay} formatDay A calendar day in the player's language.
 * @property {typeof showScreen} show The screen router (screens.js).
 * @property {() => string} settings The settings as JSON text.
 * @property {Prefs} prefs
 * @property {(kind: string) => void} cue A game's sound and haptic cue.
 * @property {(json: string) => Promise<string>} saveFinished Store a finished game (and queue it for upload when signed in), then tell the `onSessionSaved` listeners.
 * @property {(listener: SessionSavedListener) => void} onSessionSaved
 * @property {Account} account
 * @property {Insight | null} insight The dashboard's, the coach's and the upgrade's server calls (insight.js).
 * @property {((gridSize: number, orderMode: string, mode?: string, variant?: string) => Promise<string>) | null} ticket
 *   A ticket for a ranked board as JSON text, or `{"error", "offline"}` (account.js).
 * @property {((duelId: string) => Promise<string>) | null} duelTicket A duel's ticket, the same way (duels.js).
 * @property {(() => Promise<string>) | null} duelOutcomes My duel games' outcomes by session id, JSON (duels.js).
 * @property {string | null} profile The account screen's latest server stats for Python, JSON (account.js).
 * @property {ServiceWorkerRegistration | null} registration
 * @property {number | null} bootStarted performance.now() when boot.js had wired the settings screen.
 * @property {number | null} pyStartAt performance.now() when PyScript had started the app's Python (bench_web's phases).
 * @property {number | null} pyReadyAt performance.now() when Python had started the app.
 * @property {number | null} boardShownAt performance.now() when the latest board was shown.
 */

/** @type {SessionSavedListener[]} */
const savedListeners = [];

/** @type {Schulte} */
export const schulte = Object.seal({
  storage,
  feedback,
  format,
  clock,
  t,
  showText,
  reasonText,
  formatDate,
  formatDay,
  show: showScreen,
  settings: settings.current,
  prefs: settings.prefs,
  cue: settings.cue,
  async saveFinished(json) {
    // History, and the outbox when signed in, in one transaction.
    const id = await storage.saveSession(json, { outbox: schulte.account.isSignedIn() });
    const session = JSON.parse(json);
    for (const listener of savedListeners) listener(session, id);
    return id;
  },
  onSessionSaved(listener) { savedListeners.push(listener); },
  account: { isSignedIn: () => false, userId: () => null, api: null, sync: null },
  insight: null,
  ticket: null,
  duelTicket: null,
  duelOutcomes: null,
  profile: null,
  registration: null,
  bootStarted: null,
  pyStartAt: null,
  pyReadyAt: null,
  boardShownAt: null,
});
window.schulte = schulte;
