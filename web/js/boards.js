// The leaderboards screen (and the current challenges), plain JS like the account screen: it only
// reads the API and paints what it answers, so it never touches boot or the tap path.
import * as api from "./api.js";
import { schulte } from "./bus.js";
import { challengeButton } from "./duels.js";
import { boardName, seconds } from "./format.js";
import { t } from "./i18n.js";
import { showScreen } from "./screens.js";

const $ = (id) => document.getElementById(id);
const BOARDS = {
  daily: { path: "/leaderboards/daily" },
  "all-time": { path: "/leaderboards/all-time" },
  "weekly-challenge": { path: "/leaderboards/weekly-challenge" },
  "daily-challenge": { path: "/leaderboards/daily-challenge" },
  friends: { path: "/leaderboards/friends", signIn: true },
};
const signedIn = () => schulte.account.isSignedIn();
const call = (path) => (signedIn() ? api.authed("GET", path) : api.publicCall("GET", path));

function cellText(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.append(td);
}

function showBoards() {
  showScreen("boards");
  load();
  loadChallenges();
  loadFollowing().catch(() => { /* offline or signed out: the list stays empty */ });
}

let generation = 0;  // only the latest request paints: a slow answer for another board is dropped

async function load() {
  const mine = ++generation;
  const kind = $("board-kind").value;
  const board = BOARDS[kind];
  const query = `grid_size=${$("board-size").value}&order_mode=${$("board-order").value}` +
    `&variant=${$("board-variant").value}&limit=20`;
  const body = $("board-rows");
  const note = $("board-message");
  const me = $("board-me");
  body.replaceChildren();
  me.textContent = "";
  if (board.signIn && !signedIn()) { note.textContent = t("boards.sign_in_friends"); return; }
  note.textContent = t("boards.loading");
  try {
    const { data, meta } = await call(`${board.path}?${query}`);
    if (mine !== generation) return;
    const myId = schulte.account.userId();
    for (const entry of data) {
      const row = document.createElement("tr");
      cellText(row, String(entry.rank));
      cellText(row, entry.display_name);
      cellText(row, seconds(entry.best_time_ms));
      if (entry.user_id === myId) { row.classList.add("me"); row.setAttribute("aria-current", "true"); }
      body.append(row);
    }
    note.textContent = data.length ? "" : t("boards.empty");
    if (meta.me && meta.me.rank) {
      const place = { rank: meta.me.rank, best: seconds(meta.me.best_time_ms) };
      me.textContent = meta.me.percentile == null ? t("boards.me", place)
        : t("boards.me_faster", { ...place, faster: Math.round(meta.me.percentile) / 100 });
    } else if (signedIn()) {
      me.textContent = t("boards.me_absent");
    }
  } catch (error) {
    if (mine === generation) note.textContent = error.message || String(error);
  }
}

async function loadChallenges() {
  const list = $("challenges");
  list.replaceChildren();
  if (!signedIn()) {  // a list holds only items (axe: list)
    const item = document.createElement("li");
    item.textContent = t("boards.sign_in_challenges");
    list.append(item);
    return;
  }
  try {
    const { data } = await api.authed("GET", "/challenges/current");
    for (const challenge of [data.daily, data.weekly]) {
      const item = document.createElement("li");
      const left = challenge.attempts_left;
      const board = boardName(challenge.grid_size, challenge.order_mode, challenge.variant || "classic");
      item.textContent = `${t("boards.challenge", {
        mode: challenge.mode, period: challenge.period, board, left,
      })} `;
      if (left > 0) {
        const play = document.createElement("button");
        play.type = "button";
        play.textContent = t("boards.play_challenge", { mode: challenge.mode });
        // Python starts the game: the boards screen only says which challenge.
        play.addEventListener("click", () => dispatchEvent(new CustomEvent("schulte:challenge", {
          detail: JSON.stringify({
            mode: challenge.mode, grid_size: challenge.grid_size, order_mode: challenge.order_mode,
            variant: challenge.variant || "classic",
          }),
        })));
        item.append(play);
      }
      list.append(item);
    }
  } catch (error) {
    list.textContent = error.message || String(error);
  }
}

// Friends: find by display name, follow and unfollow; the friends board is people you follow plus you.
let followingIds = new Set();

function playerItem(player) {
  const item = document.createElement("li");
  item.append(`${player.display_name} `);
  const button = document.createElement("button");
  button.type = "button";
  const following = followingIds.has(player.id);
  button.textContent = t(following ? "friends.unfollow" : "friends.follow");
  button.setAttribute("aria-label", t(following ? "friends.unfollow_name" : "friends.follow_name", { name: player.display_name }));
  button.addEventListener("click", async () => {
    if (!signedIn()) { $("friends-message").textContent = t("friends.sign_in"); return; }
    try {
      await api.authed(following ? "DELETE" : "POST", `/users/${player.id}/follow`);
      $("friends-message").textContent = t(following ? "friends.unfollowed" : "friends.followed", { name: player.display_name });
      await loadFollowing();
      load();
    } catch (error) {
      $("friends-message").textContent = error.message;
    }
  });
  item.append(button, " ", challengeButton(player));
  return item;
}

let lastFound = [];

async function loadFollowing() {
  const list = $("following");
  list.replaceChildren();
  if (!signedIn()) return;
  const { data } = await api.authed("GET", "/users/me/following");
  followingIds = new Set(data.map((follow) => follow.user.id));
  for (const follow of data) list.append(playerItem(follow.user));
  $("friend-results").replaceChildren(...lastFound.map(playerItem));
}

// A profile link is the app's URL with `#player=<id>` (the account screen shows yours); pasting it, or
// the bare id, finds exactly that player.
const PLAYER_ID = /([0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})/i;

async function findPlayers(text) {
  const id = text.match(PLAYER_ID)?.[1];
  if (!id) return (await api.publicCall("GET", `/users?search=${encodeURIComponent(text)}`)).data;
  try {
    return [(await api.publicCall("GET", `/users/${id}`)).data];
  } catch (error) {
    if (error.code === "NOT_FOUND") return [];
    throw error;
  }
}

async function search(text) {
  const message = $("friends-message");
  try {
    const me = schulte.account.userId();
    lastFound = (await findPlayers(text)).filter((player) => player.id !== me);
    $("friend-results").replaceChildren(...lastFound.map(playerItem));
    if (lastFound.length) message.textContent = signedIn() ? "" : t("friends.sign_in");
    else message.textContent = PLAYER_ID.test(text) ? t("friends.no_link") : t("friends.no_name", { name: text });
  } catch (error) {
    message.textContent = error.message;
  }
}

$("friend-search").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("friend-name").value.trim();
  if (text) search(text);
});

/** Opened through someone's profile link: show the boards screen with that player found. */
function openProfileLink() {
  const id = location.hash.match(/^#player=(.+)$/)?.[1];
  if (!id) return;
  history.replaceState(null, "", location.pathname + location.search);  // a reload opens the app as usual
  showBoards();
  $("friend-name").value = decodeURIComponent(id);
  search($("friend-name").value);
}

$("nav-boards").addEventListener("click", showBoards);
for (const id of ["board-kind", "board-size", "board-order", "board-variant"]) $(id).addEventListener("change", load);
addEventListener("hashchange", openProfileLink);
openProfileLink();
