import { isoNow } from './ids.js';
import { interactionRoutes } from './interactionRest.js';
import {
  applyReference,
  createBotMessage,
  echoDelete,
  echoMessage,
  mentionsFor,
  noContent,
  ok,
  requestJson,
  unknownChannel,
  unknownMessage,
  attachmentsFrom,
  type Handler,
  type RestContext,
} from './messages.js';
import { ChannelTypes, MessageFlagBits, applyMessageEdit } from './objects.js';
import type { FakeResponse, Json } from './types.js';
import { discordError, validateCommands, validateMessage, validateThreadName } from './validate.js';
import { GatewayIntents } from './gateway.js';
import { route, type Route } from './router.js';

const missingAccess = (): FakeResponse => discordError(403, 50001, 'Missing Access');
const wrongChannelType = (): FakeResponse => discordError(400, 50024, 'Cannot execute action on this channel type');

function withChannel(ctx: RestContext, use: (channel: Json) => FakeResponse): FakeResponse {
  const channel = ctx.world.channel(ctx.params[0] as string);
  return channel ? use(channel) : unknownChannel();
}

function withChannelMessage(ctx: RestContext, use: (message: Json) => FakeResponse): FakeResponse {
  return withChannel(ctx, (channel) => {
    const message = ctx.world.messages.get(ctx.params[1] as string);
    return message && message.channel_id === channel.id ? use(message) : unknownMessage();
  });
}

const gatewayBot: Handler = ({ gateway }) =>
  ok({
    url: gateway.gatewayUrl,
    shards: 1,
    session_start_limit: {
      total: 1000,
      remaining: 1000 - gateway.identifies.length,
      reset_after: 14_400_000,
      max_concurrency: 1,
    },
  });

function commandRoutes(): Route[] {
  const scope = (ctx: RestContext): { guildId: string | undefined } | null => {
    if (ctx.params[0] !== ctx.world.applicationId) return null;
    const guildId = ctx.params[1];
    if (guildId !== undefined && guildId !== ctx.world.guildId) return null;
    return { guildId };
  };
  const list: Handler = (ctx) => {
    const s = scope(ctx);
    return s ? ok(ctx.world.commandsIn(s.guildId)) : missingAccess();
  };
  const overwrite: Handler = (ctx) => {
    const s = scope(ctx);
    if (!s) return missingAccess();
    const body: Json[] = Array.isArray(ctx.req.body) ? ctx.req.body : [];
    return validateCommands(body) ?? ok(ctx.world.putCommands(body, s.guildId));
  };
  const create: Handler = (ctx) => {
    const s = scope(ctx);
    if (!s) return missingAccess();
    const body = requestJson(ctx.req);
    return validateCommands([body]) ?? ok(ctx.world.addCommand(body, s.guildId), 201);
  };
  const routes: Route[] = [];
  for (const base of ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands']) {
    routes.push(route('GET', base, list), route('PUT', base, overwrite), route('POST', base, create));
  }
  return routes;
}

const postMessage: Handler = (ctx) =>
  withChannel(ctx, (channel) => {
    const invalid = validateMessage(requestJson(ctx.req), ctx.req.files.length, true);
    if (invalid) return invalid;
    const message = createBotMessage(ctx, channel.id, requestJson(ctx.req));
    const badReference = applyReference(ctx, message);
    if (badReference) {
      ctx.world.messages.delete(message.id);
      return badReference;
    }
    echoMessage(ctx, 'MESSAGE_CREATE', message);
    return ok(message);
  });

const editMessage: Handler = (ctx) =>
  withChannelMessage(ctx, (message) => {
    if (message.author.id !== ctx.world.botUserId) {
      return discordError(403, 50005, 'Cannot edit a message authored by another user');
    }
    const body = requestJson(ctx.req);
    const invalid = validateMessage(body, ctx.req.files.length, false);
    if (invalid) return invalid;
    applyMessageEdit(message, body, attachmentsFrom(ctx));
    if ('content' in body) message.mentions = mentionsFor(ctx.world, body.content, body.allowed_mentions);
    echoMessage(ctx, 'MESSAGE_UPDATE', message);
    return ok(message);
  });

const deleteMessage: Handler = (ctx) =>
  withChannelMessage(ctx, (message) => {
    ctx.world.messages.delete(message.id);
    echoDelete(ctx, message);
    return noContent;
  });

const listMessages: Handler = (ctx) =>
  withChannel(ctx, (channel) => {
    const { limit = '50', before, after } = ctx.req.query;
    const newestFirst = ctx.world.messagesIn(channel.id).sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const filtered = newestFirst.filter(
      (m) => (!before || BigInt(m.id) < BigInt(before)) && (!after || BigInt(m.id) > BigInt(after)),
    );
    return ok(filtered.slice(0, Number(limit)));
  });

function announceThread(ctx: RestContext, thread: Json): Json {
  const member = { id: thread.id, user_id: ctx.world.botUserId, join_timestamp: isoNow(), flags: 0 };
  const response = { ...thread, member };
  ctx.after(() =>
    ctx.gateway.dispatchIfSubscribed('THREAD_CREATE', { ...thread, newly_created: true }, GatewayIntents.Guilds),
  );
  return response;
}

/** Discord gives a thread started from a message the message's own id. */
const startThreadFromMessage: Handler = (ctx) =>
  withChannelMessage(ctx, (message) => {
    const parent = ctx.world.channel(message.channel_id) as Json;
    if (parent.type !== ChannelTypes.GuildText) return wrongChannelType();
    if (message.thread) return discordError(400, 160004, 'A thread has already been created for this message');
    const body = requestJson(ctx.req);
    const invalid = validateThreadName(body.name);
    if (invalid) return invalid;
    const spec = { ...body, type: ChannelTypes.PublicThread };
    const thread = ctx.world.createThread(parent.id, ctx.world.botUserId, spec, message.id);
    message.thread = thread;
    message.flags |= MessageFlagBits.HasThread;
    return ok(announceThread(ctx, thread), 201);
  });

const startThread: Handler = (ctx) =>
  withChannel(ctx, (parent) => {
    if (parent.type !== ChannelTypes.GuildText) return wrongChannelType();
    const body = requestJson(ctx.req);
    const invalid = validateThreadName(body.name);
    if (invalid) return invalid;
    const type = body.type ?? ChannelTypes.PrivateThread;
    const thread = ctx.world.createThread(parent.id, ctx.world.botUserId, { ...body, type });
    return ok(announceThread(ctx, thread), 201);
  });

/** Renames a thread the bot owns (the one change the bot makes to a channel); THREAD_UPDATE follows. */
const editChannel: Handler = (ctx) =>
  withChannel(ctx, (channel) => {
    if (!ctx.world.isThread(channel) || channel.owner_id !== ctx.world.botUserId) return discordError(403, 50013, 'Missing Permissions');
    const body = requestJson(ctx.req);
    if ('name' in body) {
      const invalid = validateThreadName(body.name);
      if (invalid) return invalid;
      channel.name = body.name;
    }
    ctx.after(() => ctx.gateway.dispatchIfSubscribed('THREAD_UPDATE', { ...channel }, GatewayIntents.Guilds));
    return ok(channel);
  });

function guildRoutes(): Route[] {
  const inGuild = (ctx: RestContext, use: () => FakeResponse): FakeResponse =>
    ctx.params[0] === ctx.world.guildId ? use() : discordError(404, 10004, 'Unknown Guild');
  const guildChannels = (ctx: RestContext): Json[] =>
    [...ctx.world.channels.values()].filter((c) => c.guild_id === ctx.world.guildId && !ctx.world.isThread(c));
  return [
    route('GET', '/guilds/:guild', (ctx) =>
      inGuild(ctx, () => ok({ ...ctx.world.guildObject(), approximate_member_count: 2, approximate_presence_count: 1 })),
    ),
    route('GET', '/guilds/:guild/channels', (ctx) => inGuild(ctx, () => ok(guildChannels(ctx)))),
    route('GET', '/guilds/:guild/roles', (ctx) => inGuild(ctx, () => ok(ctx.world.guildObject().roles))),
    route('GET', '/guilds/:guild/members/:user', (ctx) =>
      inGuild(ctx, () => {
        const userId = ctx.params[1] as string;
        return ctx.world.hasMember(userId) ? ok(ctx.world.member(userId)) : discordError(404, 10007, 'Unknown Member');
      }),
    ),
  ];
}

function userRoutes(): Route[] {
  const createDm: Handler = (ctx) => {
    const recipient = requestJson(ctx.req).recipient_id;
    if (typeof recipient !== 'string') return discordError(400, 50035, 'Invalid Form Body');
    return ok(ctx.world.dmChannelFor(recipient));
  };
  return [
    route('GET', '/users/@me', ({ world }) =>
      ok({ ...world.botUser, verified: true, mfa_enabled: false, flags: 0, email: null }),
    ),
    route('POST', '/users/@me/channels', createDm),
    route('GET', '/users/:user', (ctx) => ok(ctx.world.user(ctx.params[0] as string))),
    route('GET', '/applications/@me', ({ world }) => ok(world.applicationObject())),
  ];
}

function channelRoutes(): Route[] {
  const reaction: Handler = (ctx) => withChannelMessage(ctx, () => noContent);
  return [
    route('GET', '/channels/:channel', (ctx) => withChannel(ctx, (channel) => ok(channel))),
    route('PATCH', '/channels/:channel', editChannel),
    route('GET', '/channels/:channel/messages', listMessages),
    route('POST', '/channels/:channel/messages', postMessage),
    route('GET', '/channels/:channel/messages/:message', (ctx) => withChannelMessage(ctx, (message) => ok(message))),
    route('PATCH', '/channels/:channel/messages/:message', editMessage),
    route('DELETE', '/channels/:channel/messages/:message', deleteMessage),
    route('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', reaction),
    route('DELETE', '/channels/:channel/messages/:message/reactions/:emoji/@me', reaction),
    route('POST', '/channels/:channel/messages/:message/threads', startThreadFromMessage),
    route('POST', '/channels/:channel/threads', startThread),
    route('POST', '/channels/:channel/typing', (ctx) => withChannel(ctx, () => noContent)),
  ];
}

export function allRoutes(interactionTimeoutMs: number): Route[] {
  return [
    route('GET', '/gateway/bot', gatewayBot),
    route('GET', '/gateway', ({ gateway }) => ok({ url: gateway.gatewayUrl }), false),
    ...userRoutes(),
    ...commandRoutes(),
    ...channelRoutes(),
    ...guildRoutes(),
    ...interactionRoutes(interactionTimeoutMs),
  ];
}
