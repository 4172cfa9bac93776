import { randomBytes } from 'node:crypto';

const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Real-format snowflakes (timestamp + counter) so discord.js' `createdTimestamp`
 * on interactions and messages is "now", which code checking interaction age relies on.
 */
export class SnowflakeGenerator {
  private counter = 0n;

  next(): string {
    const elapsed = BigInt(Date.now()) - DISCORD_EPOCH;
    const increment = this.counter++ & 0xfffn;
    return ((elapsed << 22n) | (1n << 17n) | increment).toString();
  }
}

/** Interaction tokens are opaque URL-safe strings that end up as a path segment. */
export function interactionToken(interactionId: string): string {
  const prefix = Buffer.from(`interaction:${interactionId}:`).toString('base64url');
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

export function sessionId(): string {
  return randomBytes(16).toString('hex');
}

export function isoNow(): string {
  return new Date().toISOString();
}
