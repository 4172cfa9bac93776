import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

/** The tests may run as root, for whom chmod does not stop reading or writing. */
export const IS_ROOT = process.getuid?.() === 0;
/** The unprivileged user ("nobody") that permission tests run their child processes as when they run as root. */
export const NOBODY = 65534;

/** Spawn options that run a child as nobody when we are root (and change nothing otherwise). */
export function asUnprivileged(): { uid?: number; gid?: number } {
  return IS_ROOT ? { uid: NOBODY, gid: NOBODY } : {};
}

/**
 * Whether permission tests can be done here: always when not root (chmod works on us); as root only if a
 * process run as nobody can read the repository (to run the code under test).
 */
export function canTestPermissions(): boolean {
  if (!IS_ROOT) return true;
  try {
    execFileSync(process.execPath, ['-e', 'require("fs").readFileSync(process.argv[1])', path.join(REPO_ROOT, 'package.json')], { uid: NOBODY, gid: NOBODY, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
