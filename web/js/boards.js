// The leaderboards screen (and the current challenges), plain JS like the account screen: it only
// reads the API and paints what it answers, so it never touches boot or the tap path.
import * as api from "./api.js";

const $ = (id) => document.getElementById(id);
const BOARDS = {
  daily: { path: "/leaderboards/daily", title: "Today" },
  "all-time": { path: "/leaderboards/all-time", title: "All time" },
  "weekly-challenge": { path: "/leaderboards/weekly-challenge", title: "Weekly challenge" },
  "daily-challenge": { path: "/leaderboards/daily-challenge", title: "Daily challenge" },
  friends: { path: "/leaderboards/friends", title: "Friends", signIn: true },
};
const ORDER = { ASC: "ascending", DESC: "descending" };

const signedIn = () => Boolean(window.schulte.account?.isSignedIn());
const call = (path) => (signedIn() ? api.authed("GET", path) : api.publicCall("GET", path));

function seconds(ms) { return `${(ms / 1000).toFixed(3)} s`; }

function cellText(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.append(td);
}

function showScreen() {
  for (const section of document.querySelectorAll("main > .screen")) section.hidden = section.id !== "screen-boards";
  for (const button of document.querySelectorAll('nav[aria-label="Main"] button')) button.removeAttribute("aria-current");
  $("nav-boards").setAttribute("aria-current", "page");
  load();
  loadChallenges();
}

let generation = 0;  // only the latest request paints: a slow answer for another board is dropped

async function load() {
  const mine = ++generation;
  const kind = $("board-kind").value;
  const board = BOARDS[kind];
  const query = `grid_size=${$("board-size").value}&order_mode=${$("board-order").value}&limit=20`;
  const body = $("board-rows");
  const note = $("board-message");
  const me = $("board-me");
  body.replaceChildren();
  me.textContent = "";
  if (board.signIn && !signedIn()) { note.textContent = "Sign in to see your friends' board."; return; }
  note.textContent = "Loading…";
  try {
    const { data, meta } = await call(`${board.path}?${query}`);
    if (mine !== generation) return;
    const myId = window.schulte.account?.userId?.();
    for (const entry of data) {
      const row = document.createElement("tr");
      cellText(row, String(entry.rank));
      cellText(row, entry.display_name);
      cellText(row, seconds(entry.best_time_ms));
      if (entry.user_id === myId) { row.classList.add("me"); row.setAttribute("aria-current", "true"); }
      body.append(row);
    }
    note.textContent = data.length ? "" : "No results on this board yet.";
    if (meta.me && meta.me.rank) {
      const faster = meta.me.percentile == null ? "" : ` · faster than ${Math.round(meta.me.percentile)}% of players`;
      me.textContent = `Your place: rank ${meta.me.rank}, best ${seconds(meta.me.best_time_ms)}${faster}`;
    } else if (signedIn()) {
      me.textContent = "You are not on this board yet.";
    }
  } catch (error) {
    if (mine === generation) note.textContent = error.message || String(error);
  }
}

async function loadChallenges() {
  const list = $("challenges");
  list.replaceChildren();
  if (!signedIn()) { list.textContent = "Sign in to play the daily and weekly challenges."; return; }
  try {
    const { data } = await api.authed("GET", "/challenges/current");
    for (const challenge of [data.daily, data.weekly]) {
      const item = document.createElement("li");
      const name = challenge.mode === "daily" ? "Daily challenge" : "Weekly challenge";
      const left = challenge.attempts_left;
      item.textContent = `${name} (${challenge.period}): ${challenge.grid_size}×${challenge.grid_size} ` +
        `${ORDER[challenge.order_mode]} — ${left} attempt${left === 1 ? "" : "s"} left `;
      if (left > 0) {
        const play = document.createElement("button");
        play.type = "button";
        play.textContent = `Play ${name.toLowerCase()}`;
        // Python starts the game: the boards screen only says which challenge.
        play.addEventListener("click", () => dispatchEvent(new CustomEvent("schulte:challenge", {
          detail: JSON.stringify({ mode: challenge.mode, grid_size: challenge.grid_size, order_mode: challenge.order_mode }),
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
  button.textContent = following ? "Unfollow" : "Follow";
  button.setAttribute("aria-label", `${following ? "Unfollow" : "Follow"} ${player.display_name}`);
  button.addEventListener("click", async () => {
    try {
      await api.authed(following ? "DELETE" : "POST", `/users/${player.id}/follow`);
      $("friends-message").textContent = `${following ? "Unfollowed" : "Following"} ${player.display_name}.`;
      await loadFollowing();
      load();
    } catch (error) {
      $("friends-message").textContent = error.message;
    }
  });
  item.append(button);
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

$("friend-search").addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = $("friends-message");
  if (!signedIn()) { message.textContent = "Sign in to follow players."; return; }
  const name = $("friend-name").value.trim();
  if (!name) return;
  try {
    const { data } = await api.publicCall("GET", `/users?search=${encodeURIComponent(name)}`);
    const me = window.schulte.account?.userId?.();
    lastFound = data.filter((player) => player.id !== me);
    $("friend-results").replaceChildren(...lastFound.map(playerItem));
    message.textContent = lastFound.length ? "" : `No player named “${name}…”.`;
  } catch (error) {
    message.textContent = error.message;
  }
});

$("nav-boards").addEventListener("click", () => {
  showScreen();
  loadFollowing().catch(() => { /* offline: the list stays empty */ });
});
for (const id of ["board-kind", "board-size", "board-order"]) $(id).addEventListener("change", load);
