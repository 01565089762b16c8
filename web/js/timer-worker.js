// Drives the visible clock only: ticks keep coming while the main thread is busy or the tab is in the
// background (worker timers are not clamped like a page's). Game time itself comes from input events.
let handle = null;
self.onmessage = (event) => {
  const { type, interval = 50 } = event.data || {};
  if (handle !== null) { clearInterval(handle); handle = null; }
  if (type === "start") handle = setInterval(() => self.postMessage(performance.now()), interval);
};
