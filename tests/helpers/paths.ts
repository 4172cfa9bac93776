import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whatever directory the tests are started from. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shipped seed documents: read only, never written to by tests. */
export const SEEDS_DIR = path.join(REPO_ROOT, 'seeds');
/** Shared model folder, so the real model is fetched once for every test that needs it. */
export const MODELS_DIR = path.join(REPO_ROOT, 'models');
export const EVAL_DIR = path.join(REPO_ROOT, 'eval');

export const SEED = {
  interview: '000_b4ceb1ba5bf677ed.txt',
  nanchang: '001_608609587f51d4a8.txt',
  expo: '002_e0fab9a72e75f6d7.txt',
  pressConference: '003_825414b16639d9fb.txt',
  zones: '004_0fddcf1d109b1153.txt',
} as const;
