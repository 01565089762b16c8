// How times and boards read on screen: the one home of these helpers for plain JS and, through
// `window.schulte.format`, for Python (web/app), so a board or a time reads the same on every screen.

const ORDER_TEXT = { ASC: "ascending", DESC: "descending" };
const VARIANT_TEXT = { classic: "numbers", letters: "letters", gorbov: "Gorbov red-black" };

/**
 * A duration to the millisecond, e.g. "23.456 s"; an em dash when unknown.
 * @param {number | null | undefined} ms
 * @returns {string}
 */
export function seconds(ms) {
  return ms == null ? "—" : `${(ms / 1000).toFixed(3)} s`;
}

/**
 * An order as players read it: "ascending", "descending".
 * @param {string} order "ASC" or "DESC"
 * @returns {string}
 */
export function orderText(order) {
  return ORDER_TEXT[order] ?? order;
}

/**
 * A variant as players read it: "numbers", "letters", "Gorbov red-black".
 * @param {string} variant "classic", "letters" or "gorbov"
 * @returns {string}
 */
export function variantText(variant) {
  return VARIANT_TEXT[variant] ?? variant;
}

/**
 * A board as players read it: "5×5 ascending", "7×7 descending, Gorbov red-black".
 * @param {number} size
 * @param {string} order
 * @param {string} [variant]
 * @returns {string}
 */
export function boardName(size, order, variant = "classic") {
  const name = `${size}×${size} ${orderText(order)}`;
  return variant === "classic" ? name : `${name}, ${variantText(variant)}`;
}
