import { Client, Events, GatewayCloseCodes, Partials, RESTEvents, WebSocketShardEvents, type APIRequest, type ClientOptions, type ResponseLike } from 'discord.js';
import type { Config } from '../config/config.js';
import type { Engine } from '../engine.js';
import { UserError, describeError } from '../errors.js';
import type { AnswerQueueLimits } from './answerQueue.js';
import { COMMANDS } from './commands/list.js';
import type { BotCommand } from './commands/types.js';
import { createBotContext, type BotContext } from './context.js';
import { noMentions } from './format/render.js';
import { handleMessageDelete, handleMessageEdit } from './handlers/editedMessages.js';
import { handleInteraction } from './handlers/interactions.js';
import { handleMessage } from './handlers/messages.js';
import type { Logger } from './log.js';
import { intentsFor } from './permissions.js';
import { requireDiscordSettings } from './settings.js';

export interface StartBotOptions {
  readonly config: Config;
  /** A loaded engine (the index is ready). */
  readonly engine: Engine;
  readonly log: Logger;
  readonly commands?: readonly BotCommand[];
  /** Extra discord.js options (tests lower REST retries). */
  readonly client?: Partial<ClientOptions>;
  /** Answers at once and questions waiting (default MAX_ANSWERS_RUNNING and MAX_ANSWERS_WAITING; tests lower them). */
  readonly answerQueue?: Partial<AnswerQueueLimits>;
}

export interface RunningBot {
  readonly client: Client<true>;
  readonly context: BotContext;
  /** Logs out and closes the gateway; safe to call twice. */
  stop(): Promise<void>;
}

/** Close codes after which discord.js gives up: say what to fix instead of hanging. */
const FATAL_CLOSE_CODES: Record<number, string> = {
  4004: '- DISCORD_TOKEN: Discord did not accept the token. Reset it in the Developer Portal (Bot → Reset Token) and put the new one in .env.',
  4014:
    '- CHAT_ANSWERS: answering chat messages needs the Message Content intent. Turn on "Message Content Intent" in the Developer Portal (Bot → Privileged Gateway Intents), or set CHAT_ANSWERS=false.',
};

/** Creates the client, wires the handlers and logs in; resolves once the bot is ready. */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config, engine, log } = options;
  const { token } = requireDiscordSettings(config, ['token'], 'running the bot');
  const context = await createBotContext(config, engine, log, { queue: options.answerQueue });
  const topics = context.topics.current(); // built before login, so the first autocomplete is instant
  await warmUp(engine, log);
  const commands = new Map((options.commands ?? COMMANDS).map((command) => [command.data.name, command]));

  const client = new Client({
    intents: intentsFor(config.discord.chatAnswers),
    rest: { api: config.discord.apiUrl },
    // DM channels are not in the cache when their first message arrives: without this discord.js drops it.
    // Messages too: an edited or deleted question that left the message cache is still seen (editedMessages.ts).
    partials: [Partials.Channel, Partials.Message],
    // The default for every message; each reply also sets it explicitly.
    allowedMentions: noMentions(),
    ...options.client,
  });
  client.on(Events.InteractionCreate, (interaction) => {
    handleInteraction(interaction, context, commands).catch((error: unknown) => log.error(`interaction handler: ${describeError(error)}`));
  });
  if (config.discord.chatAnswers) {
    client.on(Events.MessageCreate, (message) => {
      handleMessage(message, context).catch((error: unknown) => log.error(`message handler: ${describeError(error)}`));
    });
    client.on(Events.MessageUpdate, (_old, message) => {
      handleMessageEdit(message, context).catch((error: unknown) => log.error(`message edit handler: ${describeError(error)}`));
    });
    client.on(Events.MessageDelete, (message) => {
      handleMessageDelete(message, context).catch((error: unknown) => log.error(`message delete handler: ${describeError(error)}`));
    });
  }
  client.on(Events.Error, (error) => log.error(`discord.js: ${describeError(error)}`));
  client.on(Events.Warn, (message) => log.warn(`discord.js: ${message}`));
  // discord.js waits out 429s and retries 5xx by itself; the log says when and why, so a slow reply is explained.
  client.rest.on(RESTEvents.Response, (request, response) => logRestResponse(request, response, client.rest.options.retries, log));

  let stopped = false;
  logGateway(client, log, () => stopped);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await client.destroy();
    await context.conversations.settled();
  };
  try {
    await loginAndWait(client, token);
  } catch (error) {
    await stop();
    throw explainLoginError(error);
  }
  const ready = client as Client<true>;
  log.info(
    `Logged in as ${ready.user.tag}: ${engine.documents().length} documents, ${topics.topics.length} topics; ` +
      `chat answers ${config.discord.chatAnswers ? `on (${config.discord.qaChannelIds.length} Q&A channels)` : 'off'}.`,
  );
  return { client: ready, context, stop };
}

/**
 * Asks one throwaway question before login. The engine loads some things on first use (the English
 * dictionary, which is built and cached on a fresh install, and the model's first inference); paid
 * here, they cannot hold up a user's first question past Discord's 3 seconds.
 */
async function warmUp(engine: Engine, log: Logger): Promise<void> {
  const started = performance.now();
  try {
    await engine.ask('What does the first document say?', { k: 1 });
  } catch (error) {
    // Not fatal: the same failure will reach the one error path when a user asks.
    log.warn(`warm-up question failed: ${describeError(error)}`);
  }
  log.debug(`warm-up took ${Math.round(performance.now() - started)} ms`);
}

/**
 * Discord's answers worth a line: rate limits (discord.js waits `retry-after`, then retries), server errors
 * (retried up to `retries` times) and a refused bot token. Routes are bucket routes, with no tokens in them.
 */
function logRestResponse(request: APIRequest, response: ResponseLike, retries: number, log: Logger): void {
  const { status } = response;
  const what = `${request.method.toUpperCase()} ${request.route.replaceAll('%40', '@')}`;
  if (status === 429) {
    const wait = response.headers.get('retry-after');
    const scope = response.headers.get('x-ratelimit-global') ? 'global ' : '';
    log.warn(`Discord ${scope}rate limit (429) on ${what}: waiting ${wait ?? '?'} s as told, then sending it again`);
  } else if (status >= 500) {
    const next = request.retries < retries ? `retrying (${request.retries + 1} of ${retries})` : `giving up after ${retries} retries`;
    log.warn(`Discord answered ${status} to ${what}: ${next}`);
  } else if (status === 401 && request.data.auth !== false) {
    log.error(`Discord answered 401 Unauthorized to ${what}: the bot token is not accepted (reset it in the Developer Portal and update DISCORD_TOKEN)`);
  }
}

/** Gateway trouble in the log: why the connection closed, and whether the session was resumed or started anew. */
function logGateway(client: Client, log: Logger, stopping: () => boolean): void {
  let readyOnce = false;
  client.once(Events.ClientReady, (ready) => {
    readyOnce = true;
    for (const shard of ready.ws.shards.values()) {
      shard.on(WebSocketShardEvents.Close, (event) => {
        if (stopping()) return; // our own logout
        const name = GatewayCloseCodes[event.code] ?? (event.code === 1000 ? 'closed by the client to start a new session' : 'unknown');
        log.warn(`gateway connection closed (code ${event.code}: ${name})`);
      });
    }
  });
  client.on(Events.ShardReconnecting, () => {
    if (!stopping()) log.info('gateway: reconnecting');
  });
  client.on(Events.ShardResume, (_id, replayed) => log.info(`gateway: session resumed, ${replayed} missed events replayed`));
  client.on(Events.ShardReady, () => {
    if (readyOnce) log.warn('gateway: the session could not be resumed; a new one started (events sent while disconnected were missed)');
  });
  client.on(Events.ShardDisconnect, (event) => {
    if (!stopping()) log.error(`gateway closed for good (code ${event.code}); the bot is offline until restarted`);
  });
}

/** Resolves on ready; rejects when login fails or the gateway closes for good. */
function loginAndWait(client: Client, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDisconnect = (event: { code: number }) => reject(Object.assign(new Error(`gateway closed with code ${event.code}`), { closeCode: event.code }));
    client.once(Events.ShardDisconnect, onDisconnect);
    client.once(Events.ClientReady, () => {
      client.off(Events.ShardDisconnect, onDisconnect);
      resolve();
    });
    client.login(token).catch(reject);
  });
}

/** Turns login failures a newcomer can fix into a message that says how; the token itself is never included. */
export function explainLoginError(error: unknown): Error {
  const closeCode = (error as { closeCode?: unknown }).closeCode;
  if (typeof closeCode === 'number' && FATAL_CLOSE_CODES[closeCode]) return new UserError('CONFIG_INVALID', { details: FATAL_CLOSE_CODES[closeCode] });
  if ((error as { code?: unknown }).code === 'TokenInvalid') return new UserError('CONFIG_INVALID', { details: FATAL_CLOSE_CODES[4004] });
  return error instanceof Error ? error : new Error(describeError(error));
}
