// The API client: one fetch wrapper that knows the envelope of CONTRACT.md.
//
// The access token lives only in this module's memory. The refresh token is the server's HttpOnly,
// SameSite=Strict cookie on /api/v1/auth, which no script on the page can read (the server never puts
// it in a body). A 401 on an authenticated call refreshes once through the
// cookie and retries once; a refresh refused (expired, or its family revoked) signs the player out
// through `onSignedOut` without touching anything stored on the device.

const BASE = new URL("./api/v1", document.baseURI).pathname;

/** Messages a player can act on, by the API's stable error codes. */
const MESSAGES = {
  OFFLINE: "You are offline. Check the connection and try again.",
  RATE_LIMITED: "Too many attempts. Please wait a moment and try again.",
  CONFLICT: "That display name is taken. Please choose another.",
  SIGN_UP_TAKEN: "This email may already have an account: we mailed its owner. Sign in, or reset the password.",
  WRONG_PASSWORD: "Wrong email or password.",
  INVALID_TOKEN: "That reset code is unknown, used or expired. Ask for a new one.",
  VERIFY_INVALID: "That code is unknown, used or expired. Ask for a new one.",
  OIDC_STATE_INVALID: "That sign-in took too long or was already used. Please try again.",
  OIDC_CODE_REJECTED: "The provider's sign-in could not be checked. Please try again.",
  OIDC_TOKEN_INVALID: "The provider's sign-in could not be checked. Please try again.",
  OIDC_PROVIDER_UNAVAILABLE: "The provider did not answer. Please try again in a moment.",
  OIDC_DENIED: "The sign-in was cancelled at the provider.",
  OIDC_EMAIL_MISSING: "The provider did not share your email. Allow it and try again.",
  OIDC_DOMAIN_REFUSED: "Sign in with your organisation's account.",
  ACCOUNT_EXISTS: "An account already has this email. Sign in with its password, then link the provider under Ways to sign in.",
  IDENTITY_TAKEN: "That provider account already signs in to another player.",
  PROVIDER_ALREADY_LINKED: "Another account of that provider is linked already. Unlink it first.",
  LAST_SIGN_IN_METHOD: "That is your only way to sign in. Link another provider, or set a password with Forgot password?, first.",
  SIGNED_OUT: "Your sign-in has ended. Please sign in again.",
  PAYLOAD_TOO_LARGE: "That is too much data for one request.",
  SERVER: "The server had a problem. Try again in a moment.",
};

/** The player-facing message for an error code the server sent in a redirect (OpenID callback). */
export const messageFor = (code) => MESSAGES[code] || `Sign-in failed (${code}).`;

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
  const text = JSON.stringify(details || {});
  if (/password/i.test(text)) return "The password must be at least 8 characters.";
  if (/email/i.test(text)) return "Please enter a valid email address.";
  if (/display_name/i.test(text)) return "Please enter a display name (1–40 characters).";
  return null;
}

/** A clear, player-facing message for an error envelope. */
function toError(status, body, path) {
  const error = body && body.status === "error" ? body.error : null;
  const code = error?.code || (status >= 500 ? "SERVER" : "HTTP_" + status);
  let message = MESSAGES[code] || error?.message || `Request failed (${status}).`;
  if (code === "UNAUTHORIZED" && path === "/auth/login") message = MESSAGES.WRONG_PASSWORD;
  else if (code === "UNAUTHORIZED") message = MESSAGES.SIGNED_OUT;
  if (code === "VALIDATION_ERROR") message = fieldMessage(error?.details) || error?.message || message;
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
    throw new ApiError("OFFLINE", MESSAGES.OFFLINE);
  }
  let parsed = null;
  try { parsed = await response.json(); } catch { /* not JSON: handled below by status */ }
  if (response.ok && parsed && parsed.status === "success") return { data: parsed.data, meta: parsed.meta || {} };
  if (response.ok) throw new ApiError("SERVER", MESSAGES.SERVER, { status: response.status });
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
    throw new ApiError("SIGN_UP_TAKEN", MESSAGES.SIGN_UP_TAKEN, { status: error.status });
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
