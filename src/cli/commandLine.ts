import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';

type CommandConfig = Omit<ParseArgsConfig, 'args' | 'strict'>;

/** Node's parseArgs errors: an unknown option, an option without its value, an argument where none is taken. */
const PARSE_ERROR = /^ERR_PARSE_ARGS_/;

/**
 * Reads a command's arguments. `--help` or `-h` prints `usage` and gives null: the command then does
 * nothing (`npm run index -- --help` must not rebuild the index). A mistyped option is a UserError that
 * names it and shows the usage, so runCli prints one message instead of a stack trace.
 */
export function readCommandLine<T extends CommandConfig>(
  usage: string,
  config: T,
  args: readonly string[] = process.argv.slice(2),
  print: (text: string) => void = (text) => console.log(text),
): ReturnType<typeof parseArgs<T & { args: string[] }>> | null {
  const beforeTerminator = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (beforeTerminator.some((arg) => arg === '--help' || arg === '-h')) {
    print(usage);
    return null;
  }
  try {
    return parseArgs({ ...config, args: [...args] });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(error instanceof Error) || !code || !PARSE_ERROR.test(code)) throw error;
    // Node's message goes on to explain `--` for arguments that start with a dash: one sentence is enough here.
    const first = /^.*?[.!](?=\s|$)/.exec(error.message)?.[0] ?? error.message;
    throw new UserError('USAGE', { message: `${first}\n${usage}` }, { cause: error });
  }
}
