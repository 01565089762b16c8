// Duels (challenge a friend), plain JS like the boards screen: it reads and writes /duels and paints
// the answers. Playing a duel is Python's job (main.py): this module only hands it the duel ticket.
// Challenges are checked when the app starts and after every sync, so an incoming one shows its badge
// ("Ana challenged you to 6×6") without the player looking for it.
import * as api from "./api.js";
import { schulte } from "./bus.js";
import { boardName, seconds } from "./format.js";
import { reasonText, show, t } from "./i18n.js";
import { DEFAULT_SIZE, LETTER_SIZES, VARIANTS } from "./rules.js";
import * as sync from "./sync.js";

const $ = (id) => document.getElementById(id);
const LETTERS_UP_TO = Math.max(...LETTER_SIZES);  // 26 letters: core.Variant.sizes
const signedIn = () => schulte.account.isSignedIn();
const myId = () => schulte.account.userId();

function boardText(duel) { return t("duels.board", { size: duel.grid_size, variant: duel.variant || "classic" }); }

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
  const text = t("duels.share_text", { name: duel.challenger.display_name, board: boardText(duel) });
  try {
    if (navigator.share) { await navigator.share({ title: t("duels.share_title"), text, url }); return; }
    await navigator.clipboard.writeText(url);
    say(t("duels.link_copied"));
  } catch (error) {
    if (error.name !== "AbortError") say(t("duels.copy_link", { url }));
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
  table.setAttribute("aria-label", t("duels.result_label", {
    challenger: duel.challenger.display_name, opponent: duel.opponent.display_name,
  }));
  const head = table.createTHead().insertRow();
  for (const id of ["duels.player", "duels.time", "duels.mistakes", "duels.counted"]) {
    const th = document.createElement("th");
    th.textContent = t(id);
    head.append(th);
  }
  const body = table.createTBody();
  for (const player of [duel.challenger, duel.opponent]) {
    const result = duel.results.find((row) => row.user_id === player.id);
    const row = body.insertRow();
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = duel.winner_id === player.id ? t("duels.winner", { name: player.display_name }) : player.display_name;
    row.append(name);
    const cells = result
      ? [result.status === "completed" ? seconds(result.completion_time_ms) : t(`status.${result.status}`),
        String(result.mistakes), result.verified ? t("duels.counted_yes")
          : (result.reasons[0] ? reasonText(result.reasons[0].code) : t("duels.counted_no"))]
      : [t("duels.not_played"), "—", "—"];
    for (const text of cells) row.insertCell().textContent = text;
  }
  return table;
}

function outcome(duel) {
  const me = myId();
  if (duel.state === "finished") {
    if (duel.winner_id === null) return t("duels.no_winner");
    return t(duel.winner_id === me ? "duels.you_won" : "duels.you_lost");
  }
  return t(`duels.state_${duel.state}`);
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
    ? t("duels.record", { won: count("Won"), lost: count("Lost"), pending: count("Pending"), draws })
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
  const board = boardName(duel.grid_size, duel.order_mode, duel.variant || "classic");
  const name = other.display_name;
  item.append(`${t(mine ? "duels.you_challenged" : "duels.challenged_you", { name, board, outcome: outcome(duel) })} `);
  if (duel.state === "pending" && !mine) {
    item.append(button(t("duels.accept"), t("duels.accept_label", { name }), () => act(`/duels/${duel.id}/accept`, t("duels.accepted"))));
    item.append(button(t("duels.decline"), t("duels.decline_label", { name }), () => act(`/duels/${duel.id}/decline`, t("duels.declined"))));
  }
  const open = duel.state === "accepted" || (duel.state === "pending" && mine);
  if (open && !played) item.append(button(t("duels.play"), t("duels.play_label", { name }), () => play(duel)));
  if (duel.state === "pending" && mine) item.append(button(t("duels.share"), t("duels.share_label", { name }), () => share(duel)));
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
  badge.textContent = t("duels.badge", {
    name: first.challenger.display_name, board: boardText(first), more: incoming.length - 1,
  });
}

let loading = null;
// What the list shows (language and duels): repainting the same answer would replace the buttons under
// a tap in flight, and a press that lands on a replaced button is lost.
let painted = "";

/** Read the player's duels and paint the list and the badge (one request at a time). */
export async function loadDuels() {
  if (!signedIn()) {
    $("duels").replaceChildren();
    painted = "";
    $("duel-picker").hidden = true;
    paintBadge([]);
    paintRecord([]);
    return;
  }
  if (loading) return loading;
  loading = (async () => {
    try {
      const { data } = await api.authed("GET", "/duels?limit=50");
      const shown = JSON.stringify([document.documentElement.lang, data]);
      if (shown !== painted) $("duels").replaceChildren(...data.map(duelItem));
      painted = shown;
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
  return button(t("duels.challenge"), t("duels.challenge_name", { name: player.display_name }), () => {
    if (!signedIn()) { say(t("duels.sign_in")); return; }
    const last = JSON.parse(schulte.settings());  // the settings hold the board played last
    $("duel-variant").value = VARIANTS.includes(last.variant) ? last.variant : "classic";
    $("duel-size").value = String(last.grid_size);
    $("duel-order").value = last.order === "DESC" ? "DESC" : "ASC";
    if (!$("duel-size").value) $("duel-size").value = String(DEFAULT_SIZE);
    fitPicker();
    picked = player;
    show($("duel-picker-title"), "duels.challenge_name", { name: player.display_name });
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
    say(t("duels.sent", { name: player.display_name, board: boardText(data) }));
  } catch (error) {
    say(error.code === "CONFLICT" ? t("duels.already_open", { board: boardText(body) }) : error.message);
  }
  await loadDuels();
}

/** What each of my duel games came to, by session id, as JSON text (History marks its duel rows). */
schulte.duelOutcomes = async () => {
  // A slow server must not hold History up: past a few seconds the last duels read will do.
  if (signedIn() && navigator.onLine) await Promise.race([loadDuels(), new Promise((done) => setTimeout(done, 3000))]);
  return JSON.stringify(signedIn() ? outcomes : {});
};

const OFFLINE_DUEL = "errors.offline_duel";

/** The player's duel ticket, as JSON text; or {"error": message, "offline": bool} (never throws). */
schulte.duelTicket = async (duelId) => {
  if (!signedIn()) return JSON.stringify({ error: t("errors.sign_in_duel") });
  if (!navigator.onLine) return JSON.stringify({ error: t(OFFLINE_DUEL), offline: true });
  try {
    const { data } = await api.authed("POST", "/tickets", { mode: "duel", duel_id: duelId });
    return JSON.stringify(data);
  } catch (error) {
    return JSON.stringify({ error: error.code === "OFFLINE" ? t(OFFLINE_DUEL) : error.message, offline: error.code === "OFFLINE" });
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
