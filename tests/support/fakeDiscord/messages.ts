import type { FakeGateway } from './gateway.js';
import { GatewayIntents } from './gateway.js';
import { messageObject, type MessageSpec } from './objects.js';
import type { FakeResponse, Json, RecordedRequest } from './types.js';
import { discordError } from './validate.js';
import type { World } from './world.js';

export interface RestContext {
  world: World;
  gateway: FakeGateway;
  req: RecordedRequest;
  params: string[];
  /** Runs after the HTTP response is written, so gateway echoes follow the REST reply as on Discord. */
  after(effect: () => void): void;
}

export type Handler = (ctx: RestContext) => FakeResponse;

export function ok(body: unknown, status = 200): FakeResponse {
  return { status, body };
}

export const noContent: FakeResponse = { status: 204 };

export function unknownMessage(): FakeResponse {
  return discordError(404, 10008, 'Unknown Message');
}

export function unknownChannel(): FakeResponse {
  return discordError(404, 10003, 'Unknown Channel');
}

export function requestJson(req: RecordedRequest): Json {
  return req.body && typeof req.body === 'object' ? (req.body as Json) : {};
}

/** Turns multipart uploads into attachment objects; `attachments` in payload_json carries the filenames. */
export function attachmentsFrom(ctx: RestContext, body: Json = requestJson(ctx.req)): Json[] | undefined {
  const declared: Json[] = Array.isArray(body.attachments) ? body.attachments : [];
  if (ctx.req.files.length === 0) return declared.length > 0 ? declared.filter((a) => a.url) : undefined;
  return ctx.req.files.map((file, index) => {
    const meta = declared.find((a) => String(a.id) === String(index)) ?? {};
    const id = ctx.world.ids.next();
    const filename = meta.filename ?? file.name;
    const url = `${ctx.world.baseUrl}/attachments/${id}/${encodeURIComponent(filename)}`;
    const attachment: Json = { id, filename, size: file.size, url, proxy_url: url, content_type: file.contentType };
    if (meta.description) attachment.description = meta.description;
    return attachment;
  });
}

const USER_MENTION = /<@!?(\d{15,25})>/g;

/** Discord fills `mentions` only with users that allowed_mentions lets through, which is what tests assert on. */
export function mentionsFor(world: World, content: unknown, allowed: Json | undefined): Json[] {
  if (typeof content !== 'string') return [];
  const ids = new Set([...content.matchAll(USER_MENTION)].map((match) => match[1] as string));
  const permitted = (id: string): boolean => {
    if (!allowed) return true;
    const parse: string[] = allowed.parse ?? [];
    const users: string[] = allowed.users ?? [];
    return parse.includes('users') || users.includes(id);
  };
  return [...ids].filter(permitted).map((id) => world.user(id));
}

export interface BotMessageExtras {
  flags?: number;
  type?: number;
  webhookId?: string;
  interactionMetadata?: Json;
}

/** Builds and stores a bot-authored message from a create-message body (for callbacks, the `data` part). */
export function createBotMessage(ctx: RestContext, channelId: string, body: Json, extras: BotMessageExtras = {}): Json {
  const { world } = ctx;
  const spec: MessageSpec = {
    id: world.ids.next(),
    channelId,
    author: world.botUser,
    content: body.content ?? '',
    embeds: body.embeds,
    components: body.components,
    attachments: attachmentsFrom(ctx, body),
    mentions: mentionsFor(world, body.content, body.allowed_mentions),
    flags: (body.flags ?? 0) | (extras.flags ?? 0),
    type: extras.type,
    webhookId: extras.webhookId,
    applicationId: extras.webhookId ? world.applicationId : undefined,
    interactionMetadata: extras.interactionMetadata,
  };
  return world.storeMessage(messageObject(spec));
}

/** Applies message_reference; returns an error response when Discord would reject the reply. */
export function applyReference(ctx: RestContext, message: Json): FakeResponse | null {
  const reference = requestJson(ctx.req).message_reference;
  if (!reference?.message_id) return null;
  const referenced = ctx.world.messages.get(reference.message_id);
  if (!referenced) {
    if (reference.fail_if_not_exists === false) return null;
    return discordError(400, 50035, 'Invalid Form Body', {
      message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] },
    });
  }
  message.type = 19;
  message.message_reference = {
    type: 0,
    message_id: referenced.id,
    channel_id: referenced.channel_id,
    guild_id: ctx.world.channel(referenced.channel_id)?.guild_id,
  };
  message.referenced_message = referenced;
  return null;
}

/**
 * The gateway form of a message: REST objects lack guild_id/member/channel_type, gateway events carry them.
 * discord.js needs channel_type to build an uncached DM channel (with Partials.Channel).
 */
export function gatewayMessage(world: World, message: Json): Json {
  const channel = world.channel(message.channel_id);
  if (!channel) return { ...message };
  if (!channel.guild_id) return { ...message, channel_type: channel.type };
  const payload: Json = { ...message, channel_type: channel.type, guild_id: channel.guild_id };
  if (!message.webhook_id && world.hasMember(message.author.id)) {
    const member = world.member(message.author.id);
    delete member.user;
    payload.member = member;
  }
  return payload;
}

function messageIntent(world: World, message: Json): number {
  return world.channel(message.channel_id)?.guild_id ? GatewayIntents.GuildMessages : GatewayIntents.DirectMessages;
}

export function echoMessage(ctx: RestContext, event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: Json): void {
  const payload = gatewayMessage(ctx.world, message);
  ctx.after(() => ctx.gateway.dispatchIfSubscribed(event, payload, messageIntent(ctx.world, message)));
}

export function echoDelete(ctx: RestContext, message: Json): void {
  const payload: Json = { id: message.id, channel_id: message.channel_id };
  const guildId = ctx.world.channel(message.channel_id)?.guild_id;
  if (guildId) payload.guild_id = guildId;
  ctx.after(() => ctx.gateway.dispatchIfSubscribed('MESSAGE_DELETE', payload, messageIntent(ctx.world, message)));
}
