// Duels (challenge a friend), plain JS like the boards screen: it reads and writes /duels and paints
// the answers. Playing a duel is Python's job (main.py): this module only hands it the duel ticket.
// Challenges are checked when the app starts and after every sync, so an incoming one shows its badge
// ("Ana challenged you to 6×6") without the player looking for it.
import * as api from "./api.js";
import "./i18n.js";  // after boot.js, which made window.schulte once the catalog loaded (top-level await)
import * as sync from "./sync.js";

const $ = (id) => document.getElementById(id);
const ORDER = { ASC: "ascending", DESC: "descending" };
const VARIANT = { classic: "", letters: ", letters", gorbov: ", Gorbov red-black" };
const LETTERS_UP_TO = 5;  // 26 letters: the letters variant has grid sizes 3–5 only (core.Variant.sizes)
const signedIn = () => Boolean(window.schulte.account?.isSignedIn());
const myId = () => window.schulte.account?.userId?.();

function seconds(ms) { return ms == null ? "—" : `${(ms / 1000).toFixed(3)} s`; }
function boardText(duel) { return `${duel.grid_size}×${duel.grid_size}${VARIANT[duel.variant] ?? ""}`; }

function button(text, label, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = text;
  if (label) element.setAttribute("aria-label", label);
  element.addEventListener("click", onClick);
  return element;
}

function say(text) { $("duels-message").textContent = text; }

async function act(path, done) {
  try {
    await api.authed("POST", path);
    say(done);
  } catch (error) {
    say(error.message);
  }
  await loadDuels();
}

/** Share a challenge: the Web Share API where there is one, the clipboard elsewhere. */
async function share(duel) {
  const url = new URL(`#duel=${duel.id}`, location.href).href;
  const text = `${duel.challenger.display_name} challenged you to ${boardText(duel)} on Schulte`;
  try {
    if (navigator.share) { await navigator.share({ title: "Schulte duel", text, url }); return; }
    await navigator.clipboard.writeText(url);
    say("Challenge link copied.");
  } catch (error) {
    if (error.name !== "AbortError") say(`Copy this link: ${url}`);
  }
}

function play(duel) {
  // Python fetches the duel ticket and starts the board, exactly like a ranked game.
  dispatchEvent(new CustomEvent("schulte:challenge", {
    detail: JSON.stringify({
      mode: "duel", duel_id: duel.id, grid_size: duel.grid_size, order_mode: duel.order_mode, variant: duel.variant,
    }),
  }));
}

/** Both players' games side by side: time, mistakes and whether it counted; the winner under them. */
function resultTable(duel) {
  const table = document.createElement("table");
  table.setAttribute("aria-label", `Duel result ${duel.challenger.display_name} vs ${duel.opponent.display_name}`);
  const head = table.createTHead().insertRow();
  for (const text of ["Player", "Time", "Mistakes", "Counted"]) {
    const th = document.createElement("th");
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const player of [duel.challenger, duel.opponent]) {
    const result = duel.results.find((row) => row.user_id === player.id);
    const row = body.insertRow();
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = player.display_name + (duel.winner_id === player.id ? " (winner)" : "");
    row.append(name);
    const cells = result
      ? [result.status === "completed" ? seconds(result.completion_time_ms) : result.status,
        String(result.mistakes), result.verified ? "yes" : (result.reasons[0]?.code || "no")]
      : ["not played", "—", "—"];
    for (const text of cells) row.insertCell().textContent = text;
  }
  return table;
}

function outcome(duel) {
  const me = myId();
  if (duel.state === "finished") {
    if (duel.winner_id === null) return "finished: no winner";
    return duel.winner_id === me ? "you won" : "you lost";
  }
  return duel.state;
}

/** How a finished duel ended for me ("Won", "Lost", "Draw"); "Pending" until it is finished. */
function myOutcome(duel) {
  if (duel.state === "finished") {
    if (duel.winner_id === null) return "Draw";
    return duel.winner_id === myId() ? "Won" : "Lost";
  }
  if (duel.state === "pending" || duel.state === "accepted") return "Pending";
  return duel.state === "declined" ? "Declined" : "Expired";
}

// The latest duels read, kept so that History can mark duel games offline too.
let outcomes = {};

/** The one-line record on the account screen: "Duels: 3 won, 1 lost, 2 pending" (draws when any). */
function paintRecord(duels) {
  const count = (text) => duels.filter((duel) => myOutcome(duel) === text).length;
  const draws = count("Draw");
  $("duel-record").textContent = duels.length
    ? `Duels: ${count("Won")} won, ${count("Lost")} lost, ${count("Pending")} pending${draws ? `, ${draws} drawn` : ""}`
    : "";
  outcomes = {};
  for (const duel of duels) {
    for (const row of duel.results) if (row.user_id === myId()) outcomes[row.session_id] = myOutcome(duel);
  }
}

function duelItem(duel) {
  const me = myId();
  const mine = duel.challenger.id === me;
  const other = mine ? duel.opponent : duel.challenger;
  const played = duel.results.some((row) => row.user_id === me);
  const item = document.createElement("li");
  const who = mine ? `You challenged ${other.display_name}` : `${other.display_name} challenged you`;
  const board = `${duel.grid_size}×${duel.grid_size} ${ORDER[duel.order_mode]}${VARIANT[duel.variant] ?? ""}`;
  item.append(`${who} to ${board} — ${outcome(duel)} `);
  if (duel.state === "pending" && !mine) {
    item.append(button("Accept", `Accept ${other.display_name}'s challenge`, () => act(`/duels/${duel.id}/accept`, "Challenge accepted.")));
    item.append(button("Decline", `Decline ${other.display_name}'s challenge`, () => act(`/duels/${duel.id}/decline`, "Challenge declined.")));
  }
  const open = duel.state === "accepted" || (duel.state === "pending" && mine);
  if (open && !played) item.append(button("Play duel", `Play the duel with ${other.display_name}`, () => play(duel)));
  if (duel.state === "pending" && mine) item.append(button("Share", `Share the challenge to ${other.display_name}`, () => share(duel)));
  if (duel.results.length) item.append(resultTable(duel));
  return item;
}

function paintBadge(duels) {
  const me = myId();
  const incoming = duels.filter((duel) => duel.state === "pending" && duel.opponent.id === me);
  const badge = $("duel-badge");
  badge.hidden = incoming.length === 0;
  if (!incoming.length) { badge.textContent = ""; return; }
  const first = incoming[0];
  const more = incoming.length > 1 ? ` (+${incoming.length - 1} more)` : "";
  badge.textContent = `${first.challenger.display_name} challenged you to ${boardText(first)}${more}`;
}

let loading = null;

/** Read the player's duels and paint the list and the badge (one request at a time). */
export async function loadDuels() {
  if (!signedIn()) {
    $("duels").replaceChildren();
    $("duel-picker").hidden = true;
    paintBadge([]);
    paintRecord([]);
    return;
  }
  if (loading) return loading;
  loading = (async () => {
    try {
      const { data } = await api.authed("GET", "/duels?limit=50");
      $("duels").replaceChildren(...data.map(duelItem));
      paintBadge(data);
      paintRecord(data);
    } catch (error) {
      if (error.code !== "OFFLINE") say(error.message);
    } finally {
      loading = null;
    }
  })();
  return loading;
}

/** Letters stop at 5×5: offer only the sizes the picked variant has, and letters only on those sizes. */
function fitPicker() {
  const letters = $("duel-variant").value === "letters";
  if (letters && Number($("duel-size").value) > LETTERS_UP_TO) $("duel-size").value = String(LETTERS_UP_TO);
  for (const option of $("duel-size").options) option.disabled = letters && Number(option.value) > LETTERS_UP_TO;
  $("duel-variant").querySelector("option[value=letters]").disabled = Number($("duel-size").value) > LETTERS_UP_TO;
}

let picked = null;  // the player the open picker challenges

/** The "Challenge" button of a player's row (boards screen): opens the picker on the player's last board. */
export function challengeButton(player) {
  return button("Challenge", `Challenge ${player.display_name}`, () => {
    if (!signedIn()) { say("Sign in (Account) to challenge players."); return; }
    const last = JSON.parse(window.schulte.settings());  // the settings hold the board played last
    $("duel-variant").value = VARIANT[last.variant] === undefined ? "classic" : last.variant;
    $("duel-size").value = String(last.grid_size);
    $("duel-order").value = last.order === "DESC" ? "DESC" : "ASC";
    if (!$("duel-size").value) $("duel-size").value = "5";
    fitPicker();
    picked = player;
    $("duel-picker-title").textContent = `Challenge ${player.display_name}`;
    $("duel-picker").hidden = false;
    $("duel-size").focus();
  });
}

async function sendChallenge(event) {
  event.preventDefault();
  const player = picked;
  if (!player) return;
  const body = {
    opponent_id: player.id,
    grid_size: Number($("duel-size").value),
    order_mode: $("duel-order").value,
    variant: $("duel-variant").value,
  };
  $("duel-picker").hidden = true;
  picked = null;
  try {
    const { data } = await api.authed("POST", "/duels", body);
    say(`You challenged ${player.display_name} to ${boardText(data)}.`);
  } catch (error) {
    say(error.code === "CONFLICT" ? `You two already have an open duel on ${boardText(body)}.` : error.message);
  }
  await loadDuels();
}

/** What each of my duel games came to, by session id, as JSON text (History marks its duel rows). */
window.schulte.duelOutcomes = async () => {
  // A slow server must not hold History up: past a few seconds the last duels read will do.
  if (signedIn() && navigator.onLine) await Promise.race([loadDuels(), new Promise((done) => setTimeout(done, 3000))]);
  return JSON.stringify(signedIn() ? outcomes : {});
};

const OFFLINE_DUEL = "You are offline. A duel needs the network to fetch its board.";

/** The player's duel ticket, as JSON text; or {"error": message, "offline": bool} (never throws). */
window.schulte.duelTicket = async (duelId) => {
  if (!signedIn()) return JSON.stringify({ error: "Sign in (Account) to play a duel." });
  if (!navigator.onLine) return JSON.stringify({ error: OFFLINE_DUEL, offline: true });
  try {
    const { data } = await api.authed("POST", "/tickets", { mode: "duel", duel_id: duelId });
    return JSON.stringify(data);
  } catch (error) {
    return JSON.stringify({ error: error.code === "OFFLINE" ? OFFLINE_DUEL : error.message, offline: error.code === "OFFLINE" });
  }
};

/** Opened through a shared challenge link: show the boards screen, where the challenge waits. */
function openDuelLink() {
  if (!/^#duel=/.test(location.hash)) return;
  history.replaceState(null, "", location.pathname + location.search);
  $("nav-boards").click();
}

sync.onStatus(({ signedIn: on, running }) => {
  // After each finished upload (and at start): a new challenge, or a duel this upload settled.
  if (on && !running) loadDuels();
});
$("nav-boards").addEventListener("click", () => { loadDuels(); });
$("nav-account").addEventListener("click", () => { loadDuels(); });
$("duel-picker").addEventListener("submit", sendChallenge);
$("duel-variant").addEventListener("change", fitPicker);
$("duel-size").addEventListener("change", fitPicker);
$("duel-cancel").addEventListener("click", () => { $("duel-picker").hidden = true; picked = null; });
$("duel-badge").addEventListener("click", () => $("nav-boards").click());
addEventListener("hashchange", openDuelLink);
openDuelLink();
