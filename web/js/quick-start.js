// The top of the settings screen: Start, with the current configuration in one line, comes first, and
// the full settings sit below it in a <details> one tap away, so a player on a phone starts the daily
// game without scrolling past every setting. Whether the details are open is remembered per device.
import { t } from "./i18n.js";

const OPEN_KEY = "schulte.settings.open.v1";

/** Seconds as m:ss, as the game's clock shows time left. */
function clock(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** Say the form's configuration in one line under the title, e.g. "5×5 · numbers · ascending · 2:00". */
export function showSummary(form) {
  const value = (name) => form.elements[name].value;
  document.getElementById("config-summary").textContent = t("settings.summary", {
    size: value("grid_size"),
    variant: t(`settings.summary.variant.${value("variant")}`),
    order: t(`settings.summary.order.${value("order")}`),
    time: clock(Number(value("max_time"))),
  });
}

const more = document.getElementById("settings-more");
const remembered = localStorage.getItem(OPEN_KEY);
if (remembered !== null) more.open = remembered === "1";
more.addEventListener("toggle", () => localStorage.setItem(OPEN_KEY, more.open ? "1" : "0"));
