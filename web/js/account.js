// The account screen and the signed-in state. Plain JS, loaded as its own module: it never waits for
// Python and Python never waits for it, so boot and taps are unaffected. Guests see nothing new but an
// "Account" button; their games are saved exactly as before.
//
// Who is signed in (id, name, email: nothing secret) is kept in localStorage so that a game finished
// offline after a reload still goes to the outbox; the access token is only in api.js's memory and
// comes back through the refresh cookie.
import * as api from "./api.js";
import "./i18n.js";  // after boot.js, which made window.schulte once the catalog loaded (top-level await)
import { showScreen } from "./screens.js";
import * as storage from "./storage.js";
import * as sync from "./sync.js";

const ACCOUNT_KEY = "schulte.account.v1";
const $ = (id) => document.getElementById(id);

function stored() {
  try { return JSON.parse(localStorage.getItem(ACCOUNT_KEY) || "null"); } catch { return null; }
}

let user = stored();
export const isSignedIn = () => user !== null;

let profileGeneration = 0;  // only the latest load paints

function paintProfile(answer) {
  window.schulte.profile = JSON.stringify(answer);  // read by Python now, or when it is up
  dispatchEvent(new CustomEvent("schulte:profile"));
}

/**
 * The profile's stats: the server's record (games from every device), handed to Python with a
 * `schulte:profile` event; Python merges it with this device's history (core.merge) and paints it.
 * `synced`: the caller has just synced and pulled history, so that is not done again.
 */
async function loadProfile({ synced = false } = {}) {
  const mine = ++profileGeneration;
  const answer = { server: null, error: null, loading: user !== null };
  paintProfile(answer);  // this device's figures at once; the account's follow when the server answers
  if (user) {
    answer.loading = false;
    try {
      // Upload this device's games and fetch the other devices' first: then one record holds the
      // other, and the merged figures are exact (core.merge).
      if (!synced) {
        await sync.syncNow();
        await pullHistory();
      }
      answer.server = (await api.authed("GET", "/users/me")).data.stats;
    } catch (error) {
      answer.error = error.message || String(error);
    }
    if (mine === profileGeneration) paintProfile(answer);
  }
}

const refreshProfile = (options) => { if (!$("screen-account").hidden) loadProfile(options); };

/** The link that opens this app on the player's profile (see boards.js), for friends to follow. */
const profileLink = (id) => `${location.origin}${location.pathname}#player=${id}`;

function showAccount() {
  showScreen("account");
  render();
  loadProfile();
  if (user) {
    loadMethods();
    loadVerification();
  }
}

function message(text, kind = "error") {
  const box = $("account-message");
  box.textContent = text;
  box.dataset.kind = kind;
}

function render() {
  $("account-signed-out").hidden = user !== null;
  $("account-signed-in").hidden = user === null;
  if (user) {
    $("account-name").textContent = user.display_name;
    $("account-email").textContent = user.email;
    $("profile-link").href = $("profile-link").textContent = profileLink(user.id);
  }
}

// --- Sign in and Create account: one form, two modes -------------------------------------------
const MODES = {
  signin: { title: "Sign in", submit: "Sign in", toggle: "New here? Create an account", password: "current-password" },
  signup: { title: "Create an account", submit: "Create account", toggle: "Have an account? Sign in instead", password: "new-password" },
};

function setMode(mode) {
  const form = $("auth-form");
  const words = MODES[mode];
  form.dataset.mode = mode;
  $("auth-title").textContent = words.title;
  $("auth-submit").textContent = words.submit;
  $("auth-toggle").textContent = words.toggle;
  $("auth-password").autocomplete = words.password;
  $("auth-name-field").hidden = mode !== "signup";
  $("auth-name").required = mode === "signup";
}

$("auth-toggle").addEventListener("click", () => {
  setMode($("auth-form").dataset.mode === "signin" ? "signup" : "signin");
  (($("auth-form").dataset.mode === "signup") ? $("auth-name") : $("auth-email")).focus();
});
$("forgot-open").addEventListener("click", () => {
  const steps = $("reset-steps");
  steps.hidden = !steps.hidden;
  $("forgot-open").setAttribute("aria-expanded", String(!steps.hidden));
  if (!steps.hidden) {
    $("forgot-email").value ||= $("auth-email").value;
    $("forgot-email").focus();
  }
});

// --- OpenID providers -------------------------------------------------------------------------
let providers = [];

async function loadProviders() {
  if (!navigator.onLine) {
    // Offline, no request at all (an offline game makes none); asked again when the network is back.
    window.addEventListener("online", loadProviders, { once: true });
    return;
  }
  try {
    providers = (await api.publicCall("GET", "/auth/providers")).data;
  } catch {
    providers = [];  // unreachable: password sign-in still works
  }
  const box = $("provider-buttons");
  box.replaceChildren(...providers.map(({ id, name }) => {
    const link = document.createElement("a");
    link.className = "button";
    link.href = api.providerStartUrl(id);
    link.textContent = `Continue with ${name}`;
    return link;
  }));
  box.hidden = providers.length === 0;
}

/** Ways to sign in (password, linked providers) with Link / Unlink buttons; the last cannot go. */
async function loadMethods() {
  const list = $("sign-in-methods");
  let methods;
  try {
    methods = (await api.authed("GET", "/auth/sign-in-methods")).data;
  } catch {
    return;  // offline: shown next time
  }
  const rows = [];
  const row = (text, button) => {
    const item = document.createElement("li");
    item.textContent = text;
    if (button) item.append(" ", button);
    rows.push(item);
  };
  const button = (text, action) => {
    const element = document.createElement("button");
    element.type = "button";
    element.textContent = text;
    element.addEventListener("click", async () => {
      element.disabled = true;
      try { await action(); } catch (error) { message(error.message || String(error)); } finally { element.disabled = false; }
    });
    return element;
  };
  row(methods.password ? "Password" : "No password yet (set one with Forgot password? when signed out)");
  const linked = new Set();
  for (const identity of methods.identities) {
    linked.add(identity.provider);
    row(`${identity.name}${identity.email ? ` (${identity.email})` : ""}`,
      button(`Unlink ${identity.name}`, async () => {
        await api.authed("DELETE", `/auth/oidc/${encodeURIComponent(identity.provider)}/link`);
        message(`${identity.name} unlinked.`, "info");
        await loadMethods();
      }));
  }
  for (const { id, name } of providers) {
    if (linked.has(id)) continue;
    row(`${name}: not linked`, button(`Link ${name}`, async () => {
      const { data } = await api.authed("POST", `/auth/oidc/${encodeURIComponent(id)}/link`);
      location.assign(data.url);
    }));
  }
  list.replaceChildren(...rows);
}

async function loadVerification() {
  try {
    const { data: me } = await api.authed("GET", "/auth/me");
    $("verify-form").hidden = me.email_verified;
  } catch { /* offline: asked again next time */ }
}

/** Back from a provider: `#account?oidc=created|signed_in|linked` or `#account?oidc_error=CODE`. */
async function finishProviderSignIn() {
  const match = location.hash.match(/^#account\?(oidc|oidc_error)=([a-z_A-Z]+)$/);
  if (!match) return;
  history.replaceState(null, "", location.pathname + location.search);
  showScreen("account");
  if (match[1] === "oidc_error") {
    message(api.messageFor(match[2]));
    return;
  }
  const welcome = { created: "Account created. You are signed in.", linked: "Linked. You are signed in.",
    signed_in: "Signed in." }[match[2]] || "Signed in.";
  try {
    await signedIn(api.refresh(), welcome);
  } catch (error) {
    message(error.message || String(error));
  }
}

function remember(signedInUser) {
  user = { id: signedInUser.id, email: signedInUser.email, display_name: signedInUser.display_name };
  localStorage.setItem(ACCOUNT_KEY, JSON.stringify(user));
  render();
  $("verify-form").hidden = signedInUser.email_verified !== false;
  loadMethods();
}

function forget(text) {
  // Local history and the outbox stay: they belong to the device until the server confirmed them.
  user = null;
  localStorage.removeItem(ACCOUNT_KEY);
  setMode("signin");
  render();
  sync.syncNow();
  refreshProfile();
  if (text) message(text);
}

async function offerGuestHistory() {
  const guest = await storage.unsyncedSessions();
  if (guest.length === 0) return;
  const offer = $("migrate-offer");
  $("migrate-text").textContent =
    `This device has ${guest.length} game${guest.length === 1 ? "" : "s"} played as a guest. ` +
    "Upload them to your account as practice?";
  offer.hidden = false;
  $("migrate-upload").onclick = async () => {
    offer.hidden = true;
    await storage.enqueue(await storage.unsyncedSessions());
    message("Guest history queued for upload.", "info");
    await sync.syncNow();
  };
  $("migrate-skip").onclick = () => { offer.hidden = true; };
}

async function signedIn(promise, welcome) {
  const signedInUser = await promise;
  remember(signedInUser);
  message(welcome, "info");
  await offerGuestHistory();
  await afterSignIn();
}

/** Everything that follows a sign-in or an app start when signed in; each step may fail offline. */
async function afterSignIn() {
  await sync.syncNow();
  try {
    await syncPreferences();
    await pullHistory();
  } catch (error) {
    if (!(error instanceof api.ApiError)) console.warn("account sync:", error);
  }
  sync.syncNow();  // refresh the status line
  refreshProfile({ synced: true });
}

const newer = (a, b) => Boolean(a) && (!b || Date.parse(a) > Date.parse(b));

/** Preferences both ways: the side changed last wins (by its updated_at). */
async function syncPreferences() {
  const local = window.schulte.prefs.get();
  const { data: me } = await api.authed("GET", "/auth/me");
  if (newer(me.preferences_updated_at, local.updatedAt)) {
    window.schulte.prefs.apply(me.preferences, me.preferences_updated_at);
  } else if (newer(local.updatedAt, me.preferences_updated_at)) {
    await pushPreferences();
  }
}

async function pushPreferences() {
  const local = window.schulte.prefs.get();
  if (!local.updatedAt) return;
  const { data } = await api.authed("PATCH", "/users/me/preferences", {
    preferences: local.settings, updated_at: local.updatedAt,
  });
  if (!data.applied) window.schulte.prefs.apply(data.preferences, data.updated_at);
}

/** History from other devices: whatever the server has that this device does not, merged by id. */
async function pullHistory() {
  const here = new Set(JSON.parse(await storage.listSessions()).map((session) => session.id));
  for (const id of await storage.pendingDeletions()) here.add(id);  // deleted here: never fetched back
  const missing = [];
  for (let offset = 0; ; offset += 100) {
    const { data, meta } = await api.authed("GET", `/sessions?limit=100&offset=${offset}`);
    for (const summary of data) if (!here.has(summary.id)) missing.push(summary.id);
    if (data.length === 0 || offset + data.length >= (meta.total ?? 0)) break;
  }
  let added = 0;
  for (let i = 0; i < missing.length; i += 4) {
    const full = await Promise.all(missing.slice(i, i + 4).map((id) => api.authed("GET", `/sessions/${id}`)));
    added += await storage.mergeRemote(full.map(({ data }) => data));
  }
  if (added) message(`${added} game${added === 1 ? "" : "s"} from your other devices added to History.`, "info");
}

let prefsTimer = null;
addEventListener("schulte:settings", () => {
  if (!isSignedIn()) return;
  clearTimeout(prefsTimer);
  prefsTimer = setTimeout(() => pushPreferences().catch(() => { /* offline: the next start pushes them */ }), 400);
});

function handle(form, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    message("");
    try {
      await action();
    } catch (error) {
      message(error instanceof api.ApiError ? error.message : `Something went wrong: ${error}`);
    } finally {
      button.disabled = false;
    }
  });
}

handle($("auth-form"), () => {
  const email = $("auth-email").value.trim();
  const password = $("auth-password").value;
  if ($("auth-form").dataset.mode === "signin") return signedIn(api.login(email, password), "Signed in.");
  return signedIn(api.register(email, password, $("auth-name").value.trim()),
    "Account created. You are signed in. We mailed you a code to confirm your email.");
});
handle($("verify-form"), async () => {
  try {
    await api.publicCall("POST", "/auth/verify-email", { code: $("verify-code").value.trim() });
  } catch (error) {
    throw error.code === "INVALID_TOKEN" ? new api.ApiError(error.code, api.messageFor("VERIFY_INVALID")) : error;
  }
  $("verify-form").hidden = true;
  message("Email confirmed.", "info");
});
$("verify-resend").addEventListener("click", async () => {
  try {
    const { data } = await api.authed("POST", "/auth/verify-email/resend");
    message(data.message === "your email is already verified" ? "Your email is already confirmed." :
      "A new code is on its way.", "info");
  } catch (error) {
    message(error.message || String(error));
  }
});
handle($("forgot-form"), async () => {
  await api.forgotPassword($("forgot-email").value.trim());
  message("If that email has an account, a reset code is on its way. Enter it below.", "info");
});
handle($("reset-form"), async () => {
  await api.resetPassword($("reset-code").value.trim(), $("reset-password").value);
  message("Password changed. Sign in with the new password.", "info");
});

$("signout").addEventListener("click", async () => {
  try { await api.logout(); } catch { /* offline: the token dies with this page anyway */ }
  forget();
  message("Signed out. Your games stay on this device.", "info");
});
$("sync-now").addEventListener("click", () => sync.syncNow());
$("copy-profile-link").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("profile-link").href);
    message("Profile link copied.", "info");
  } catch {
    message("Copy the link by hand: this browser did not allow copying.", "info");
  }
});
$("nav-account").addEventListener("click", showAccount);
$("open-account").addEventListener("click", showAccount);

api.onSignedOut(() => { if (user) forget("Your sign-in has ended. Please sign in again."); });

sync.configure({ isSignedIn });
sync.onStatus(({ signedIn, waiting, error }) => {
  const status = $("sync-status");
  if (!signedIn) status.textContent = waiting ? `Saved on this device · ${waiting} waiting` : "Saved on this device";
  else if (waiting) status.textContent = `${waiting} waiting${error && error.code === "OFFLINE" ? " (offline)" : ""}`;
  else status.textContent = "Synced";
  $("account-sync-status").textContent = status.textContent;
});

// A finished game: history, and the outbox when signed in, in one transaction; then sync off this task.
window.schulte.saveFinished = async (json) => {
  const id = await storage.saveSession(json, { outbox: isSignedIn() });
  const session = JSON.parse(json);
  $("ranked-result").hidden = true;
  if (session.mode !== "practice") showRanking(session);
  else sync.schedule();
  return id;
};

const OFFLINE_RANKED = "You are offline. Ranked play needs the network to fetch a fresh board: play practice instead.";

/** A ticket for a ranked board, as JSON text; or {"error": message, "offline": bool} (never throws). */
window.schulte.ticket = async (gridSize, orderMode, mode = "ranked", variant = "classic") => {
  if (!isSignedIn()) return JSON.stringify({ error: "Sign in (Account) to play ranked." });
  if (!navigator.onLine) return JSON.stringify({ error: OFFLINE_RANKED, offline: true });
  try {
    const body = { mode, grid_size: gridSize, order_mode: orderMode, variant };
    const { data } = await api.authed("POST", "/tickets", body);
    return JSON.stringify(data);
  } catch (error) {
    const offline = error.code === "OFFLINE";
    return JSON.stringify({ error: offline ? OFFLINE_RANKED : error.message, offline });
  }
};

const OFF_BOARD = { HELD_FOR_REVIEW: "Under review", LATE_UPLOAD: "Not ranked" };

/** After a ranked game: upload it, then its place on today's board and its percentile (when online). */
async function showRanking(session) {
  const box = $("ranked-result");
  box.hidden = false;
  box.textContent = "Ranked result saved. It is uploaded when you are online.";
  await sync.syncNow();
  const state = JSON.parse(await storage.syncStates())[session.id];
  if (!state || state.state === "waiting") return;
  if (!state.verified) {
    const reasons = (state.reasons || []).map((reason) => reason.message || reason.code).join("; ");
    box.textContent = `This result could not be verified${reasons ? `: ${reasons}` : ""}.`;
    return;
  }
  // Verified but off the boards: held for a moderator, or uploaded after the ticket's window.
  const offBoard = (state.reasons || []).find((reason) => OFF_BOARD[reason.code]);
  if (offBoard) { box.textContent = `${OFF_BOARD[offBoard.code]}: ${offBoard.message}`; return; }
  if (session.status !== "completed") { box.textContent = "Ranked result uploaded."; return; }
  try {
    const query = `grid_size=${session.grid_size}&order_mode=${session.order_mode}&variant=${session.variant || "classic"}`;
    const where = {
      ranked: ["daily", "today's board"],
      daily: ["daily-challenge", "the daily challenge board"],
      weekly: ["weekly-challenge", "the weekly challenge board"],
    }[session.mode];
    const [board, percentile] = await Promise.all([
      api.authed("GET", `/leaderboards/${where[0]}?${query}&limit=1`),
      api.publicCall("GET", `/stats/percentile?${query}&time_ms=${Math.round(session.completion_time_ms)}`),
    ]);
    const rank = board.meta.me?.rank;
    const faster = Math.round(percentile.data.percentile);
    box.textContent = `Rank ${rank ?? "—"} on ${where[1]} · faster than ${faster}% of players`;
  } catch (error) {
    box.textContent = "Ranked result uploaded. The board will show it when you are online.";
  }
}
window.schulte.account = { isSignedIn, userId: () => user?.id, api, sync };

setMode("signin");
render();
sync.start();
loadProviders().then(finishProviderSignIn);
// On app start, once Python is up and the page is idle: neither the first board nor Python's boot
// waits for the network or for reading history (the outbox is safe in IndexedDB meanwhile). Should
// Python never come up, sync still runs.
function whenAppReady(callback) {
  let started = false;
  const run = () => {
    if (started) return;
    started = true;
    requestIdleCallback(callback, { timeout: 2_000 });
  };
  if (document.documentElement.dataset.ready === "1") run();
  addEventListener("schulte:ready", run, { once: true });
  setTimeout(run, 20_000);
}
if (user) whenAppReady(afterSignIn);
