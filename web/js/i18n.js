// Player-facing text. Every string the player reads has an id in one catalog per language
// (web/i18n/<lang>.json, ICU MessageFormat); code asks `t(id, params)` and never spells the text.
// Python reaches the same function as `window.schulte.t` (web/app/i18n.py).
const catalog = await fetch(new URL("../i18n/en.json", import.meta.url)).then((response) => response.json());

/** The message `id` with its `{name}` placeholders filled from `params`; the id itself when unknown. */
export function t(id, params = {}) {
  const message = catalog[id];
  if (message === undefined) return id;
  return message.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}
