import { GatewayIntentBits, PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets } from '../../src/bot/log.js';
import { inviteUrl, intentsFor, permissionNames, requiredPermissions } from '../../src/bot/permissions.js';
import { createRateLimiter } from '../../src/bot/rateLimit.js';
import { explainRegisterError } from '../../src/bot/register.js';
import { requireDiscordSettings } from '../../src/bot/settings.js';
import { explainLoginError } from '../../src/bot/startBot.js';
import { TtlCache } from '../../src/bot/ttlCache.js';
import { loadConfig } from '../../src/config/config.js';
import { isUserError } from '../../src/errors.js';
import { TEST_TOKEN } from './harness.js';

describe('rate limiter', () => {
  it('allows 5 questions per 30 s per user, then says when to retry, notifying once per flood', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ count: 5, windowMs: 30_000, now: () => now });
    for (let i = 0; i < 5; i++) {
      expect(limiter.take('u1')).toEqual({ allowed: true });
      now += 1000;
    }
    expect(limiter.take('u1')).toEqual({ allowed: false, retryAfterMs: 25_000, notify: true });
    expect(limiter.take('u1')).toMatchObject({ allowed: false, notify: false });
    expect(limiter.take('u2')).toEqual({ allowed: true });
    now += 25_000; // the first question leaves the window
    expect(limiter.take('u1')).toEqual({ allowed: true });
    expect(limiter.take('u1')).toMatchObject({ allowed: false, notify: true });
  });

  it('takes back a refunded question (refused as busy), for that user only', () => {
    const limiter = createRateLimiter({ count: 2, windowMs: 60_000, now: () => 0 });
    limiter.take('u1');
    limiter.take('u1');
    limiter.take('u2');
    expect(limiter.take('u1')).toMatchObject({ allowed: false });
    limiter.refund('u1');
    expect(limiter.take('u1')).toEqual({ allowed: true });
    expect(limiter.take('u1')).toMatchObject({ allowed: false });
    limiter.refund('nobody'); // unknown users are ignored
    expect(limiter.take('u2')).toEqual({ allowed: true });
    expect(limiter.take('u2')).toMatchObject({ allowed: false });
  });

  it('forgets the least recently seen users beyond its bound', () => {
    const limiter = createRateLimiter({ count: 1, windowMs: 60_000, maxUsers: 2, now: () => 0 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('a')).toEqual({ allowed: true }); // a was forgotten
    expect(limiter.take('c')).toMatchObject({ allowed: false });
  });
});

describe('TtlCache', () => {
  it('expires entries and keeps at most maxEntries', () => {
    let now = 0;
    const cache = new TtlCache<number>({ maxEntries: 2, ttlMs: 100, now: () => now });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    now = 100;
    expect(cache.get('c')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

describe('log redaction', () => {
  it('never prints the token, the configured one or anything shaped like one', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', secrets: [TEST_TOKEN], write: (line) => lines.push(line) });
    log.error(`login failed with ${TEST_TOKEN} at Bot ${TEST_TOKEN}`);
    log.info('an old token MTIzNDU2Nzg5MDEyMzQ1Njc4OTA.AbCdEf.abcdefghijklmnopqrstuvwxyz012345 leaked');
    log.debug('ordinary text 12.6% a.b.c stays');
    expect(lines.join('\n')).not.toContain(TEST_TOKEN);
    expect(lines.join('\n')).not.toContain('TEST-token-never-printed');
    expect(lines[0]).toContain('login failed with [redacted] at Bot [redacted]');
    expect(lines[1]).toContain('an old token [redacted] leaked');
    expect(lines[2]).toContain('ordinary text 12.6% a.b.c stays');
    expect(redactSecrets('short', ['abc'])).toBe('short');
  });

  it('respects the level and silence', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', secrets: [], write: (line) => lines.push(line) });
    log.info('no');
    log.warn('yes');
    createLogger({ level: 'silent', secrets: [], write: (line) => lines.push(line) }).error('no');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/warn  yes$/);
  });
});

describe('intents, permissions and invite URL', () => {
  it('asks for message content only when chat answering is on', () => {
    expect(intentsFor(false)).toEqual([GatewayIntentBits.Guilds]);
    expect(intentsFor(true)).toEqual([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent]);
  });

  it('invites with the bot and applications.commands scopes and only the permissions it uses', () => {
    const url = new URL(inviteUrl('123456789012345678', { chatAnswers: true, guildId: '876543210987654321' }));
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('123456789012345678');
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(url.searchParams.get('guild_id')).toBe('876543210987654321');
    const permissions = BigInt(url.searchParams.get('permissions')!);
    expect(permissionNames(permissions).sort()).toEqual(
      ['CreatePublicThreads', 'EmbedLinks', 'ReadMessageHistory', 'SendMessages', 'SendMessagesInThreads', 'ViewChannel'].sort(),
    );
    expect(permissions & PermissionFlagsBits.Administrator).toBe(0n);
    expect(requiredPermissions(false)).toBe(0n);
    expect(new URL(inviteUrl('1', { chatAnswers: false })).searchParams.get('permissions')).toBe('0');
  });
});

describe('settings', () => {
  it('names every missing Discord setting in one message', () => {
    const config = loadConfig({});
    let error: unknown;
    try {
      requireDiscordSettings(config, ['token', 'clientId', 'guildId'], '`npm run register`');
    } catch (caught) {
      error = caught;
    }
    expect(isUserError(error)).toBe(true);
    const message = (error as Error).message;
    for (const name of ['DISCORD_TOKEN', 'DISCORD_CLIENT_ID', 'DISCORD_GUILD_ID']) expect(message).toContain(name);
  });

  it('reports every bad value at once and never prints the token', () => {
    let message = '';
    try {
      loadConfig({ DISCORD_TOKEN: TEST_TOKEN, DISCORD_CLIENT_ID: 'abc', QA_CHANNEL_IDS: '1,x', RATE_LIMIT_COUNT: '-1', DISCORD_API_URL: 'not a url' });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['DISCORD_CLIENT_ID', 'QA_CHANNEL_IDS', 'RATE_LIMIT_COUNT', 'DISCORD_API_URL']) expect(message).toContain(name);
    expect(message).not.toContain(TEST_TOKEN);
    expect(requireDiscordSettings(loadConfig({ DISCORD_TOKEN: TEST_TOKEN }), ['token'], 'x').token).toBe(TEST_TOKEN);
  });

  it('explains login and registration failures a newcomer can fix', () => {
    expect(explainLoginError(Object.assign(new Error('x'), { closeCode: 4014 })).message).toContain('Message Content Intent');
    expect(explainLoginError(Object.assign(new Error('An invalid token was provided.'), { code: 'TokenInvalid' })).message).toContain('Reset Token');
    const other = new Error('network down');
    expect(explainLoginError(other)).toBe(other);
    expect(explainRegisterError({ status: 403, code: 50001 }, '1').message).toContain('npm run invite');
    expect(explainRegisterError({ status: 401 }, '1').message).toContain('DISCORD_TOKEN');
  });
});
