import {
  attachmentsFrom,
  createBotMessage,
  echoDelete,
  echoMessage,
  mentionsFor,
  noContent,
  ok,
  requestJson,
  unknownMessage,
  type Handler,
  type RestContext,
} from './messages.js';
import { MessageFlagBits, applyMessageEdit } from './objects.js';
import { route, type Route } from './router.js';
import type { FakeResponse, Json } from './types.js';
import { discordError, validateChoices, validateMessage } from './validate.js';
import type { InteractionRecord } from './world.js';

const Callback = { Reply: 4, DeferReply: 5, DeferUpdate: 6, Update: 7, Autocomplete: 8, Modal: 9, LaunchActivity: 12 };
const InteractionKind = { Command: 2, Component: 3, Autocomplete: 4, ModalSubmit: 5 };

/** Which callback types Discord accepts for each interaction type. */
const ALLOWED_CALLBACKS: Record<number, number[]> = {
  [InteractionKind.Command]: [Callback.Reply, Callback.DeferReply, Callback.Modal, Callback.LaunchActivity],
  [InteractionKind.Component]: [Callback.Reply, Callback.DeferReply, Callback.DeferUpdate, Callback.Update, Callback.Modal],
  [InteractionKind.Autocomplete]: [Callback.Autocomplete],
  [InteractionKind.ModalSubmit]: [Callback.Reply, Callback.DeferReply, Callback.DeferUpdate, Callback.Update],
};

const WEBHOOK_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

const unknownInteraction = (): FakeResponse => discordError(404, 10062, 'Unknown interaction');
const unknownWebhook = (): FakeResponse => discordError(404, 10015, 'Unknown Webhook');

function isEphemeral(message: Json): boolean {
  return (message.flags & MessageFlagBits.Ephemeral) !== 0;
}

function interactionMetadata(ctx: RestContext, record: InteractionRecord): Json {
  const metadata: Json = {
    id: record.id,
    type: record.type,
    user: ctx.world.user(record.userId),
    authorizing_integration_owners: { '0': ctx.world.guildId },
  };
  if (record.sourceMessageId) metadata.interacted_message_id = record.sourceMessageId;
  return metadata;
}

/** Replies to slash commands are CHAT_INPUT_COMMAND (20) messages; component replies are DEFAULT (0). */
function replyMessage(ctx: RestContext, record: InteractionRecord, data: Json, extraFlags = 0): Json {
  const message = createBotMessage(ctx, record.channelId, data, {
    flags: extraFlags,
    type: record.type === InteractionKind.Command ? 20 : 0,
    webhookId: ctx.world.applicationId,
    interactionMetadata: interactionMetadata(ctx, record),
  });
  record.messageIds.add(message.id);
  if (!isEphemeral(message)) echoMessage(ctx, 'MESSAGE_CREATE', message);
  return message;
}

function editMessage(ctx: RestContext, message: Json, data: Json): void {
  applyMessageEdit(message, data, attachmentsFrom(ctx, data));
  if ('content' in data) message.mentions = mentionsFor(ctx.world, data.content, data.allowed_mentions);
  if (!isEphemeral(message)) echoMessage(ctx, 'MESSAGE_UPDATE', message);
}

type CallbackResult = { message?: Json } | FakeResponse;

function runCallback(ctx: RestContext, record: InteractionRecord, type: number, data: Json): CallbackResult {
  const source = record.sourceMessageId ? ctx.world.messages.get(record.sourceMessageId) : undefined;
  switch (type) {
    case Callback.Reply: {
      const invalid = validateMessage(data, ctx.req.files.length, true, 'data');
      if (invalid) return invalid;
      const message = replyMessage(ctx, record, data);
      record.originalMessageId = message.id;
      return { message };
    }
    case Callback.DeferReply: {
      const ephemeral = (data.flags ?? 0) & MessageFlagBits.Ephemeral;
      const message = replyMessage(ctx, record, {}, MessageFlagBits.Loading | ephemeral);
      record.originalMessageId = message.id;
      return { message };
    }
    case Callback.DeferUpdate:
    case Callback.Update: {
      if (!source) return unknownMessage();
      if (type === Callback.Update) {
        const invalid = validateMessage(data, ctx.req.files.length, false, 'data');
        if (invalid) return invalid;
        editMessage(ctx, source, data);
      }
      record.originalMessageId = source.id;
      record.messageIds.add(source.id);
      return { message: source };
    }
    case Callback.Autocomplete:
      return validateChoices(data) ?? {};
    case Callback.Modal:
      return typeof data.custom_id === 'string' && typeof data.title === 'string'
        ? {}
        : discordError(400, 50035, 'Invalid Form Body');
    default:
      return {};
  }
}

function callbackResponseBody(record: InteractionRecord, type: number, message: Json | undefined): Json {
  const body: Json = {
    interaction: {
      id: record.id,
      type: record.type,
      response_message_id: message?.id,
      response_message_loading: type === Callback.DeferReply,
      response_message_ephemeral: message ? isEphemeral(message) : undefined,
    },
  };
  if (message) body.resource = { type, message };
  return body;
}

function callbackHandler(timeoutMs: number): Handler {
  return (ctx) => {
    const [id, token] = ctx.params;
    const record = ctx.world.interactions.get(id as string);
    if (!record || record.token !== token) return unknownInteraction();
    // Discord forgets an interaction that was not acknowledged in time; a late reply gets 10062. At or
    // past the deadline, so that 0 refuses every reply: with `>`, a reply in the interaction's own
    // millisecond would get through, and the expiry test would wait for a refusal that never comes
    // (the suspected cause of its one failure).
    if (record.callbackType === null && Date.now() - record.createdAt >= timeoutMs) return unknownInteraction();
    if (record.callbackType !== null) return discordError(400, 40060, 'Interaction has already been acknowledged.');
    const body = requestJson(ctx.req);
    if (!ALLOWED_CALLBACKS[record.type]?.includes(body.type)) {
      const message = `Value must be one of ${ALLOWED_CALLBACKS[record.type]}.`;
      return discordError(400, 50035, 'Invalid Form Body', {
        type: { _errors: [{ code: 'BASE_TYPE_CHOICES', message }] },
      });
    }
    const result = runCallback(ctx, record, body.type, body.data ?? {});
    if ('status' in result) return result;
    record.callbackType = body.type;
    return ctx.req.query.with_response === 'true' ? ok(callbackResponseBody(record, body.type, result.message)) : noContent;
  };
}

function withWebhook(ctx: RestContext, use: (record: InteractionRecord) => FakeResponse): FakeResponse {
  const [applicationId, token] = ctx.params;
  if (applicationId !== ctx.world.applicationId) return unknownWebhook();
  const record = [...ctx.world.interactions.values()].find((candidate) => candidate.token === token);
  if (!record) return unknownWebhook();
  if (Date.now() - record.createdAt > WEBHOOK_TOKEN_LIFETIME_MS) return discordError(401, 50027, 'Invalid Webhook Token');
  return use(record);
}

function withWebhookMessage(
  ctx: RestContext,
  use: (message: Json, record: InteractionRecord) => FakeResponse,
): FakeResponse {
  return withWebhook(ctx, (record) => {
    const ref = ctx.params[2] as string;
    const id = ref === '@original' ? record.originalMessageId : record.messageIds.has(ref) ? ref : null;
    const message = id ? ctx.world.messages.get(id) : undefined;
    return message ? use(message, record) : unknownMessage();
  });
}

/** The first follow-up after a deferred reply fills in the "thinking" message, keeping the defer's ephemerality. */
const followUp: Handler = (ctx) =>
  withWebhook(ctx, (record) => {
    if (record.callbackType === null) return unknownWebhook();
    const body = requestJson(ctx.req);
    const invalid = validateMessage(body, ctx.req.files.length, true);
    if (invalid) return invalid;
    const original = record.originalMessageId ? ctx.world.messages.get(record.originalMessageId) : undefined;
    let message: Json;
    if (record.callbackType === Callback.DeferReply && original && original.flags & MessageFlagBits.Loading) {
      editMessage(ctx, original, body);
      message = original;
    } else {
      message = replyMessage(ctx, record, body);
    }
    return ctx.req.query.wait === 'true' ? ok(message) : noContent;
  });

const getWebhookMessage: Handler = (ctx) => withWebhookMessage(ctx, (message) => ok(message));

const editWebhookMessage: Handler = (ctx) =>
  withWebhookMessage(ctx, (message) => {
    const body = requestJson(ctx.req);
    const invalid = validateMessage(body, ctx.req.files.length, false);
    if (invalid) return invalid;
    editMessage(ctx, message, body);
    return ok(message);
  });

const deleteWebhookMessage: Handler = (ctx) =>
  withWebhookMessage(ctx, (message, record) => {
    ctx.world.messages.delete(message.id);
    record.messageIds.delete(message.id);
    if (record.originalMessageId === message.id) record.originalMessageId = null;
    if (!isEphemeral(message)) echoDelete(ctx, message);
    return noContent;
  });

export function interactionRoutes(timeoutMs: number): Route[] {
  const messagePath = '/webhooks/:app/:token/messages/:message';
  return [
    route('POST', '/interactions/:id/:token/callback', callbackHandler(timeoutMs), false),
    route('POST', '/webhooks/:app/:token', followUp, false),
    route('GET', messagePath, getWebhookMessage, false),
    route('PATCH', messagePath, editWebhookMessage, false),
    route('DELETE', messagePath, deleteWebhookMessage, false),
  ];
}
