/** Lets long synchronous work give the event loop a turn; see createBreather. */
export type Breather = () => Promise<void>;

/**
 * Yields to the event loop once the current slice of synchronous work has run for `sliceMs`, so the bot
 * keeps answering (and the gateway keeps its heartbeat) while a large index is built, saved or loaded.
 * Call it between items of a long loop: it costs a clock read when no yield is due.
 * One breather per task: its slice starts when it is created and again after each yield it makes.
 */
export function createBreather(sliceMs = 10): Breather {
  let began = performance.now();
  return async () => {
    if (performance.now() - began < sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    began = performance.now();
  };
}
