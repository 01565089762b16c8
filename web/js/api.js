// The API client: one fetch wrapper that knows the envelope of CONTRACT.md.
//
// The access token lives only in this module's memory. The refresh token is the server's HttpOnly,
// SameSite=Strict cookie on /api/v1/auth, which no script on the page can read (the server never puts
// it in a body). A 401 on an authenticated call refreshes once through the
// cookie and retries once; a refresh refused (expired, or its family revoked) signs the player out
// through `onSignedOut` without touching anything stored on the device.

import { has, t } from "./i18n.js";

const BASE = new URL("./api/v1", document.baseURI).pathname;

/**
 * The player-facing message for an error code: the catalog's `errors.CODE`, else `fallback` (a
 * catalog id). The server's own English `message` is never shown: it is for logs and developers.
 */
function text(code, fallback = "errors.request_failed", params = {}) {
  return has(`errors.${code}`) ? t(`errors.${code}`) : t(fallback, { code, ...params });
}

/** The player-facing message for an error code the server sent in a redirect (OpenID callback). */
export const messageFor = (code) => text(code, "errors.sign_in_failed");

/** Where the browser goes to sign in with an OpenID provider (a navigation, not a fetch). */
export const providerStartUrl = (id) => `${BASE}/auth/oidc/${encodeURIComponent(id)}/start`;

export class ApiError extends Error {
  constructor(code, message, { status = 0, details = {} } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

let accessToken = null;
let refreshing = null;
const listeners = { signedOut: [] };

export function onSignedOut(callback) { listeners.signedOut.push(callback); }
export function hasToken() { return accessToken !== null; }
export function setToken(token) { accessToken = token; }

function fieldMessage(details) {
  // VALIDATION_ERROR details name the field: say which one, in words.
  const fields = JSON.stringify(details || {});
  if (/password/i.test(fields)) return t("errors.field_password");
  if (/email/i.test(fields)) return t("errors.field_email");
  if (/display_name/i.test(fields)) return t("errors.field_display_name");
  return null;
}

/** A clear, player-facing message for an error envelope. */
function toError(status, body, path) {
  const error = body && body.status === "error" ? body.error : null;
  const code = error?.code || (status >= 500 ? "SERVER" : "HTTP_" + status);
  let message = text(code, "errors.request_failed", { status });
  if (code === "UNAUTHORIZED" && path === "/auth/login") message = text("WRONG_PASSWORD");
  else if (code === "UNAUTHORIZED") message = text("SIGNED_OUT");
  if (code === "VALIDATION_ERROR") message = fieldMessage(error?.details) || message;
  return new ApiError(code, message, { status, details: error?.details || {} });
}

async function send(method, path, body, { auth = false } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (auth && accessToken) headers.Authorization = `Bearer ${accessToken}`;
  let response;
  try {
    response = await fetch(BASE + path, {
      method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError("OFFLINE", text("OFFLINE"));
  }
  let parsed = null;
  try { parsed = await response.json(); } catch { /* not JSON: handled below by status */ }
  if (response.ok && parsed && parsed.status === "success") return { data: parsed.data, meta: parsed.meta || {} };
  if (response.ok) throw new ApiError("SERVER", text("SERVER"), { status: response.status });
  throw toError(response.status, parsed, path);
}

/** Trade the refresh cookie for a new access token (one refresh at a time, shared by all callers). */
export function refresh() {
  if (!refreshing) {
    refreshing = send("POST", "/auth/refresh", {})
      .then(({ data }) => { accessToken = data.access_token; return data.user; })
      .catch((error) => {
        if (error.code === "UNAUTHORIZED") signOutLocally();
        throw error;
      })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

function signOutLocally() {
  accessToken = null;
  for (const callback of listeners.signedOut) callback();
}

/** An authenticated call: refresh (via the cookie) and retry once on 401. */
export async function authed(method, path, body) {
  if (!accessToken) await refresh();
  try {
    return await send(method, path, body, { auth: true });
  } catch (error) {
    if (error.code !== "UNAUTHORIZED") throw error;
    await refresh();
    return send(method, path, body, { auth: true });
  }
}

export const publicCall = (method, path, body) => send(method, path, body);

async function signedIn(promise) {
  const { data } = await promise;
  accessToken = data.access_token;
  return data.user;
}

export const login = (email, password) => signedIn(send("POST", "/auth/login", { email, password }));
// Registering never signs in (its answer is the same whether or not the email was taken, so it cannot
// carry tokens): sign up is register, then login. A taken email fails at the login, as a wrong password.
export async function register(email, password, display_name) {
  await send("POST", "/auth/register", { email, password, display_name });
  try {
    return await login(email, password);
  } catch (error) {
    if (error.code !== "UNAUTHORIZED") throw error;
    throw new ApiError("SIGN_UP_TAKEN", text("SIGN_UP_TAKEN"), { status: error.status });
  }
}
export const forgotPassword = (email) => send("POST", "/auth/forgot-password", { email });
export const resetPassword = (token, password) => send("POST", "/auth/reset-password", { token, password });

export async function logout() {
  try {
    await send("POST", "/auth/logout", {});
  } finally {
    accessToken = null;
  }
}
