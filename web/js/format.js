// How times, boards and statuses read on screen: the one home of these helpers for plain JS and, through
// `window.schulte.format`, for Python (web/app), so a board or a time reads the same on every screen.
// The words come from the catalogs (i18n.js); numbers go through Intl there.
import { t } from "./i18n.js";

/**
 * A duration to the millisecond, e.g. "23.456 s" ("23,456 с" in Russian); an em dash when unknown.
 * @param {number | null | undefined} ms
 * @returns {string}
 */
export function seconds(ms) {
  return ms == null ? "—" : t("units.seconds_ms", { seconds: ms / 1000 });
}

/**
 * An order as a history cell reads it: "ascending", "descending".
 * @param {string} order "ASC" or "DESC"
 * @returns {string}
 */
export function orderText(order) {
  return t(`history.cell_${String(order).toLowerCase()}`);
}

/**
 * A variant as a history cell reads it: "numbers", "letters", "Gorbov red-black".
 * @param {string} variant "classic", "letters" or "gorbov"
 * @returns {string}
 */
export function variantText(variant) {
  return t(`history.cell_${variant}`);
}

/**
 * A board as players read it: "5×5 ascending", "7×7 descending, Gorbov red-black".
 * @param {number} size
 * @param {string} order
 * @param {string} [variant]
 * @returns {string}
 */
export function boardName(size, order, variant = "classic") {
  return t("board.name", { size, order, variant });
}

/**
 * A grid and its variant without the order: "5×5", "7×7 Gorbov red-black".
 * @param {number} size
 * @param {string} [variant]
 * @returns {string}
 */
export function boardShort(size, variant = "classic") {
  return t("board.short", { size, variant });
}

/**
 * A session's status in words: "Completed", "Time out", "Abandoned".
 * @param {string} status
 * @returns {string}
 */
export function statusText(status) {
  return t(`status.${status}`);
}
