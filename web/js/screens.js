// The one screen router. Every screen is a `<section id="screen-NAME">` listed here with the navigation
// button it marks as current; plain JS calls `showScreen`, Python calls it as `window.schulte.show`.

/** @typedef {keyof typeof SCREENS} Screen */

/** Each screen's name and the id of the navigation button that is current while it shows. */
export const SCREENS = {
  settings: "nav-play",
  game: "nav-play",
  results: "nav-play",
  history: "nav-history",
  boards: "nav-boards",
  account: "nav-account",
  dashboard: "nav-dashboard",
};

/**
 * Show the screen `name`, hide the others, and mark its navigation button as the current page.
 * @param {Screen} name
 */
export function showScreen(name) {
  if (!(name in SCREENS)) throw new Error(`unknown screen ${JSON.stringify(name)}`);
  for (const [screen, nav] of Object.entries(SCREENS)) {
    document.getElementById(`screen-${screen}`).hidden = screen !== name;
    document.getElementById(nav).removeAttribute("aria-current");
  }
  document.getElementById(SCREENS[name]).setAttribute("aria-current", "page");
}
