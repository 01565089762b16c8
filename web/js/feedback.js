// Sound and haptics: short tones generated with WebAudio (no audio files) and navigator.vibrate,
// both silently absent where unsupported; and the board's paint helpers that Python calls once per tap.
import { t } from "./i18n.js";

let audio = null;

function context() {
  if (!audio) {
    const Ctx = globalThis.AudioContext || globalThis.webkitAudioContext;
    if (!Ctx) return null;
    audio = new Ctx();
  }
  if (audio.state === "suspended") audio.resume();
  return audio;
}

const TONES = {
  correct: [[880, 0.06]],
  wrong: [[196, 0.12]],
  finished: [[660, 0.09], [880, 0.09], [1320, 0.16]],
};

export function tone(kind) {
  const ctx = context();
  if (!ctx) return;
  let at = ctx.currentTime;
  for (const [frequency, duration] of TONES[kind] || []) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = kind === "wrong" ? "square" : "sine";
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.18, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + duration);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + duration + 0.02);
    at += duration;
  }
}

const PATTERNS = { correct: 12, wrong: [40, 30, 40], finished: [30, 40, 60] };

export function vibrate(kind) {
  if (typeof navigator.vibrate === "function") navigator.vibrate(PATTERNS[kind] || 0);
}

const FLASH = [
  { backgroundColor: "var(--wrong)", color: "var(--on-wrong)" },
  { backgroundColor: "var(--cell)", color: "var(--text)" },
];

const calm = matchMedia("(prefers-reduced-motion: reduce)");
let wrongCue = null;  // ends the still wrong-tap cue (AbortController)

/**
 * Red flash on a wrong cell; the Web Animations API restarts cleanly on repeated taps, no reflow.
 * With reduced motion there is no flash: the cell keeps a still outline and a cross until the next tap.
 */
export function flashWrong(cell) {
  if (!calm.matches) {
    cell.animate(FLASH, { duration: 380, easing: "ease-out" });
    return;
  }
  wrongCue?.abort();
  const cue = new AbortController();
  wrongCue = cue;
  cell.classList.add("wrong");
  cue.signal.addEventListener("abort", () => cell.classList.remove("wrong"));
  // Added while this tap's own event is being dispatched, so only the next tap ends the cue.
  const next = (event) => {
    if (event.type === "pointerdown" || event.key === "Enter" || event.key === " ") cue.abort();
  };
  for (const type of ["pointerdown", "keydown"]) {
    cell.parentElement.addEventListener(type, next, { capture: true, signal: cue.signal });
  }
}

// A screen reader reads a polite live region after what it is saying; a change per tap would queue
// stale "Find" prompts behind a fast player, so only the text standing after a short lull is written.
const ANNOUNCE_LULL_MS = 250;
let announceTimer = 0;

/** Say `text` through the polite live region (#live) once taps pause; the latest text wins. */
export function announce(text) {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => { document.getElementById("live").textContent = text; }, ANNOUNCE_LULL_MS);
}

/**
 * Repaint the cells a reshuffle changed, in one call from Python: `changes` is JSON
 * `[[cell_index, text, colour], ...]`, colour "red", "black" or "" (no colour in this variant).
 */
export function paintCells(board, changes) {
  const cells = board.children;
  for (const [index, text, colour] of JSON.parse(changes)) {
    const cell = cells[index];
    cell.textContent = text;
    if (colour) {
      cell.classList.toggle("red", colour === "red");
      cell.classList.toggle("black", colour === "black");
      cell.setAttribute("aria-label", t(`board.cell_${colour}`, { label: text }));
    }
  }
}

/** Offer a text as a file download (export). */
export function download(filename, text, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
