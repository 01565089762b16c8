// Python's interpreter starts now, in parallel with PyScript's own start-up (pyodide-loader.mjs);
// imported dynamically so that the settings screen never waits for it. A module of its own, imported
// first by boot.js, so that it runs before i18n.js waits for the player's catalog.
import("./pyodide-loader.mjs").then((loader) => loader.preload());
