import { describeError, isUserError } from '../errors.js';

let outputClosed = false;

/** True once the reader of standard output has gone away (EPIPE): loops over many inputs stop early. */
export function stdoutClosed(): boolean {
  return outputClosed;
}

/** Runs a command-line entry point: a UserError prints its message and exits 1; a bug prints its stack and exits 2. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  // When the reader of standard output goes away (`npm run ask -- --json < questions.txt | head -1`), the
  // next write fails with EPIPE, which crashed with an unhandled 'error' event and a stack trace. Nobody is
  // left to read: the error is noted, loops stop (stdoutClosed), and the program ends normally. (Not
  // process.exit: exiting while the model's worker threads run aborts in native code.)
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    outputClosed = true;
  });
  try {
    await main();
  } catch (error) {
    if (isUserError(error)) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      console.error(`Unexpected error: ${describeError(error)}`);
      if (error instanceof Error && error.stack) console.error(error.stack);
      process.exitCode = 2;
    }
  }
}
