// The game clock's ticks: a Web Worker (timer-worker.js) says when to repaint; the page only shows what
// it is told, and Python (web/app/play.py) sets `onTick`.

/** @type {import("./bus.js").Clock} */
export const clock = {
  worker: null,
  onTick: null,
  start() {
    if (!this.worker) {
      this.worker = new Worker(new URL("./timer-worker.js", import.meta.url));
      this.worker.onmessage = (event) => this.onTick && this.onTick(event.data);
    }
    this.worker.postMessage({ type: "start", interval: 50 });
  },
  stop() { this.worker?.postMessage({ type: "stop" }); },
};
