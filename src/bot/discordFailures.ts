import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from 'discord.js';

/**
 * Failures that come from Discord rather than from a bug, sorted by what the bot can still do:
 * - `expired`: the interaction can no longer be answered (not acknowledged within 3 s, or its 15-minute
 *   token ran out): any further reply fails the same way, so none is attempted.
 * - `forbidden`: the bot lacks a permission where it tried to write (Send Messages, Embed Links, threads).
 * - `unavailable`: Discord answered 5xx after the REST client's retries, or did not answer in time.
 */
export type DiscordFailureKind = 'expired' | 'forbidden' | 'unavailable';

export interface DiscordFailure {
  readonly kind: DiscordFailureKind;
  /** For the log: status, Discord's code and message, and the route with every token replaced. */
  readonly detail: string;
}

/** Discord's codes for an interaction or interaction webhook that no longer exists. */
const EXPIRED_CODES = new Set<number | string>([
  RESTJSONErrorCodes.UnknownInteraction, // 10062: not acknowledged within 3 s (or already gone)
  RESTJSONErrorCodes.UnknownWebhook, // 10015: the follow-up webhook is gone
  RESTJSONErrorCodes.InvalidWebhookToken, // 50027: the 15-minute interaction token expired
]);
const FORBIDDEN_CODES = new Set<number | string>([RESTJSONErrorCodes.MissingPermissions, RESTJSONErrorCodes.MissingAccess]);

/** What kind of Discord failure `error` is, or null for anything else (a bug, a user error). */
export function discordFailure(error: unknown): DiscordFailure | null {
  if (error instanceof DiscordAPIError) {
    const detail = `Discord answered ${error.status} (${error.code}: ${error.message}) to ${error.method.toUpperCase()} ${routeOf(error.url)}`;
    if (EXPIRED_CODES.has(error.code)) return { kind: 'expired', detail };
    if (FORBIDDEN_CODES.has(error.code) || error.status === 403) return { kind: 'forbidden', detail };
    return null;
  }
  if (error instanceof HTTPError) {
    return { kind: 'unavailable', detail: `Discord answered ${error.status} (${error.message}) to ${error.method.toUpperCase()} ${routeOf(error.url)}, also after retrying` };
  }
  // @discordjs/rest aborts a request that got no answer within its timeout (15 s by default).
  if (error instanceof Error && error.name === 'AbortError') return { kind: 'unavailable', detail: `Discord did not answer in time (${error.message})` };
  return null;
}

/** True when Discord refused for a missing permission (50013 Missing Permissions, 50001 Missing Access, 403). */
export function isForbidden(error: unknown): boolean {
  return discordFailure(error)?.kind === 'forbidden';
}

/**
 * The API path of a request URL with interaction and webhook tokens (secrets for 15 minutes) replaced,
 * safe to log: `/webhooks/123/<token>/messages/@original` → `/webhooks/123/:token/messages/@original`.
 */
export function routeOf(url: string): string {
  return new URL(url, 'http://discord.invalid').pathname
    .replace(/^\/api(?:\/v\d+)?/, '')
    .replaceAll('%40', '@')
    .replace(/^\/(webhooks|interactions)\/(\d+)\/[^/]+/, '/$1/$2/:token');
}
