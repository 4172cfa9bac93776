import { describe, expect, it } from 'vitest';
import { createBreather } from '../../src/index/breather.js';

/** Whether a setImmediate queued before `breathe` ran before `breathe` returned: did it give the event loop a turn? */
async function yieldedDuring(breathe: () => Promise<void>): Promise<boolean> {
  let ran = false;
  const immediate = setImmediate(() => {
    ran = true;
  });
  await breathe();
  clearImmediate(immediate);
  return ran;
}

describe('createBreather', () => {
  it('gives the event loop a turn once its slice is used up, and every time after that it is', async () => {
    const breathe = createBreather(0);
    expect(await yieldedDuring(breathe)).toBe(true);
    expect(await yieldedDuring(breathe)).toBe(true);
  });

  it('does not yield while the slice lasts', async () => {
    const breathe = createBreather(60_000);
    for (let i = 0; i < 100; i++) expect(await yieldedDuring(breathe)).toBe(false);
  });
});
