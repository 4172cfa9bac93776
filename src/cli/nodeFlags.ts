/**
 * Node flags of the processes that serve while they index: the bot (`npm start`, package.json) and the
 * bench, which measures it (its own process and the children that stand in for the bot). A test checks
 * that package.json passes them.
 *
 * --no-concurrent-marking: V8 marks the heap in small steps on the main thread instead of on helper
 * threads. While the model holds every core, those helpers got too little CPU to finish, so the pause
 * that ends each full GC finished their marking, 10-20 ms of it at once: the largest event-loop stalls of
 * an 11k-chunk build. With the flag (beside the embedding threads' lower priority) the largest stall of
 * that build fell from 37-43 ms (three runs) to 27-30 ms (five runs), with the build as fast (README
 * "Performance").
 */
export const SERVING_NODE_FLAGS: readonly string[] = ['--no-concurrent-marking'];
