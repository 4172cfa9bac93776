import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * What src/cli/tuneHnswlib.ts (the postinstall) builds hnswlib-node's addon with, where, and on which
 * machines; shared with the test that checks an install was tuned.
 */
export const TUNED_FLAGS = '-O3 -march=x86-64-v3';
/** Written beside the tuned addon: hnswlib-node's version, the flags and the Node version it was built for. */
export const TUNED_MARKER = '.quotebot-tuned';

/** hnswlib-node's package folder, as this project resolves it. */
export function hnswlibPackageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('hnswlib-node/package.json'));
}

/** Whether this machine runs x86-64-v3 code (x86-64 Linux with AVX2, FMA and BMI2). */
export function runsX8664v3(): boolean {
  if (process.platform !== 'linux' || process.arch !== 'x64') return false;
  const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1].split(/\s+/) ?? [];
  return ['avx2', 'fma', 'bmi2'].every((flag) => flags.includes(flag));
}
