import { describe, expect, it } from 'vitest';
import { readCommandLine } from '../../src/cli/commandLine.js';
import { isUserError } from '../../src/errors.js';

const USAGE = 'Usage: npm run ask -- [--json] [--k N] [question]';
const CONFIG = { options: { json: { type: 'boolean', default: false }, k: { type: 'string' } }, allowPositionals: true } as const;

function read(args: string[]) {
  const printed: string[] = [];
  const result = readCommandLine(USAGE, CONFIG, args, (text) => printed.push(text));
  return { result, printed };
}

function usageError(args: string[], config: Parameters<typeof readCommandLine>[1] = CONFIG): Error {
  try {
    readCommandLine(USAGE, config, args, () => {});
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error(`no error for ${args.join(' ')}`);
}

describe('readCommandLine', () => {
  it('reads options and positionals as parseArgs does', () => {
    const { result, printed } = read(['--json', '--k', '5', 'what', 'now']);
    expect(result?.values).toEqual({ json: true, k: '5' });
    expect(result?.positionals).toEqual(['what', 'now']);
    expect(printed).toEqual([]);
  });

  it('prints the usage for --help or -h and gives null, so the command does nothing', () => {
    for (const flag of ['--help', '-h']) {
      const { result, printed } = read(['--json', flag]);
      expect(result).toBeNull();
      expect(printed).toEqual([USAGE]);
    }
  });

  it('reads --help after the -- terminator as an argument, not as a request for help', () => {
    const { result } = read(['--', '--help']);
    expect(result?.positionals).toEqual(['--help']);
  });

  it('turns a mistyped option into a user error naming it, with the usage', () => {
    const error = usageError(['--jsn', 'question']);
    expect(error.message).toBe(`Unknown option '--jsn'.\n${USAGE}`);
  });

  it('reports an option without its value and an argument the command does not take', () => {
    expect(usageError(['--k']).message).toMatch(/^Option '--k <value>' argument missing\n/);
    expect(usageError(['extra'], {}).message).toMatch(/^Unexpected argument 'extra'\.\nUsage:/);
  });
});
