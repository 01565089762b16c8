// What the dashboard, the coach and the upgrade button need from the server, each with a copy kept on
// the device so that the app works the same offline: the coach's difficulty table (GET /coach/model,
// revalidated with its ETag), the player's premium state (from their profile, `is_premium`), the
// percentile of a time, and the Stripe Payment Link. Plain JS: Python calls it through
// `window.schulte.insight` and never waits for the network on the tap path.
import * as api from "./api.js";
import { schulte } from "./bus.js";
import { t } from "./i18n.js";

const BASE = new URL("./api/v1", document.baseURI).pathname;
const ACCOUNT_KEY = "schulte.account.v1";  // written by account.js: who is signed in, nothing secret
const MODEL_KEY = "schulte.coach.model.v1";
const PREMIUM_KEY = "schulte.premium.v1";

const read = (key) => {
  try { return JSON.parse(localStorage.getItem(key) || "null"); } catch { return null; }
};
const user = () => read(ACCOUNT_KEY);

/** Fetch the coach's model when it changed (If-None-Match); keep the cached one on any failure. */
async function refreshModel() {
  if (!navigator.onLine) return;
  const cached = read(MODEL_KEY);
  try {
    const response = await fetch(`${BASE}/coach/model`, {
      headers: cached?.etag ? { "If-None-Match": cached.etag } : {}, cache: "no-store",
    });
    if (response.status === 304 || !response.ok) return;
    const body = await response.json();
    localStorage.setItem(MODEL_KEY, JSON.stringify({ etag: response.headers.get("ETag"), model: body.data }));
  } catch { /* no server (a guest's static host) or offline: core's default table coaches */ }
}

/** The player's premium state from their profile, remembered per user for offline opens. */
async function refreshPremium() {
  const me = user();
  if (!me || !navigator.onLine) return;
  try {
    const { data } = await api.authed("GET", "/users/me");
    const profile = data.user || data;
    localStorage.setItem(PREMIUM_KEY, JSON.stringify({
      user_id: me.id, is_premium: Boolean(profile.is_premium), premium_until: profile.premium_until ?? null,
    }));
  } catch { /* offline or signed out: the last known state stands */ }
}

function premium() {
  const me = user();
  const held = read(PREMIUM_KEY);
  if (!me || !held || held.user_id !== me.id) return false;
  return held.is_premium && (!held.premium_until || Date.parse(held.premium_until) > Date.now());
}

/** Where a time stands among every player's all-time best on its board (null offline or unknown). */
async function percentile(timeMs, gridSize, orderMode, variant) {
  if (!navigator.onLine) return "null";
  try {
    const query = new URLSearchParams({ time_ms: String(timeMs), grid_size: String(gridSize), order_mode: orderMode, variant });
    const { data } = await api.publicCall("GET", `/stats/percentile?${query}`);
    return JSON.stringify(data);
  } catch {
    return "null";
  }
}

/** Premium only: percentiles by board over time (GET /users/me/analytics/advanced), or null. */
async function advanced(utcOffsetMinutes) {
  if (!user() || !navigator.onLine) return "null";
  try {
    const { data } = await api.authed("GET", `/users/me/analytics/advanced?utc_offset_minutes=${utcOffsetMinutes}`);
    return JSON.stringify({ percentiles: data.percentiles || {} });
  } catch {
    return "null";
  }
}

/**
 * Open the Stripe Payment Link with the player's id as `client_reference_id`; without one (a guest,
 * offline, or no Stripe configured on the server) say how to get premium instead. Returns what to say.
 */
async function upgrade() {
  const me = user();
  if (!me) return t("premium.sign_in");
  if (!navigator.onLine) return t("premium.offline");
  let config = null;
  try {
    config = (await api.publicCall("GET", "/billing/config")).data;
  } catch { /* an unreachable server reads like one without Stripe */ }
  if (!config?.available || !config.payment_link) return t("premium.unavailable");
  const link = new URL(config.payment_link);
  link.searchParams.set("client_reference_id", me.id);
  window.open(link.href, "_blank", "noopener");
  return t("premium.opened");
}

const refresh = () => Promise.all([refreshModel(), refreshPremium()]);

schulte.insight = {
  /** The cached coach model (JSON, `null` before any fetch: core's default table then). */
  coachModel: () => JSON.stringify(read(MODEL_KEY)?.model ?? null),
  refresh, premium, percentile, advanced, upgrade,
};

// After the app is up, so that neither boot nor the first board waits for the network.
addEventListener("schulte:ready", () => setTimeout(refresh, 0), { once: true });
addEventListener("online", refresh);
