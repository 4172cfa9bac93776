import { describe, expect, it } from 'vitest';
import { SERVING_NODE_FLAGS } from '../../src/cli/nodeFlags.js';
import { npmScripts as scripts } from '../helpers/cli.js';

describe('the Node flags of serving processes', () => {
  it.each([
    ['start', 'node', 'dist/src/cli/start.js'],
    ['bench', 'tsx', 'bench/run.ts'],
  ])('npm run %s passes each of them to %s, before the entry file', (name, runner, entryFile) => {
    const words = scripts[name].split(/\s+/);
    const entry = words.indexOf(entryFile);
    expect(words[0]).toBe(runner);
    expect(entry).toBeGreaterThan(0);
    for (const flag of SERVING_NODE_FLAGS) {
      const at = words.indexOf(flag);
      expect(at, `${flag} in "${scripts[name]}"`).toBeGreaterThan(0);
      expect(at).toBeLessThan(entry);
    }
  });
});
