import { describeError, isUserError } from '../errors.js';

/** Runs a command-line entry point: a UserError prints its message and exits 1; a bug prints its stack and exits 2. */
export async function runCli(main: () => Promise<void>): Promise<void> {
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
