import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVING_NODE_FLAGS } from '../../src/cli/nodeFlags.js';

const root = path.resolve(import.meta.dirname, '../..');
const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the Node flags of serving processes', () => {
  it.each(['start', 'bench'])('npm run %s passes each of them to Node, before the entry file', (name) => {
    const words = scripts[name].split(/\s+/);
    const entry = words.findIndex((word) => word.endsWith('.ts'));
    expect(words[0]).toBe('tsx');
    expect(entry).toBeGreaterThan(0);
    for (const flag of SERVING_NODE_FLAGS) {
      const at = words.indexOf(flag);
      expect(at, `${flag} in "${scripts[name]}"`).toBeGreaterThan(0);
      expect(at).toBeLessThan(entry);
    }
  });
});
