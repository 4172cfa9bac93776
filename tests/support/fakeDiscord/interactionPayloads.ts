import { interactionToken } from './ids.js';
import { messageObject } from './objects.js';
import type { ButtonInput, InteractionOptionInput, Json, MessageCommandInput, SlashCommandInput } from './types.js';
import type { InteractionRecord, World } from './world.js';

const OptionType = { User: 6, Channel: 7 } as const;
const FILE_SIZE_LIMIT = 10 * 1024 * 1024;

function newRecord(world: World, type: number, channelId: string, userId: string): InteractionRecord {
  const id = world.ids.next();
  const record: InteractionRecord = {
    id,
    token: interactionToken(id),
    type,
    channelId,
    guildId: world.guildId,
    userId,
    createdAt: Date.now(),
    callbackType: null,
    originalMessageId: null,
    sourceMessageId: null,
    messageIds: new Set(),
  };
  world.interactions.set(id, record);
  return record;
}

function requireChannel(world: World, channelId: string): Json {
  const channel = world.channel(channelId);
  if (!channel?.guild_id) throw new Error(`FakeDiscord: ${channelId} is not a guild channel of the fake guild`);
  return channel;
}

/** Fields every guild interaction carries, in the shape Discord sends them. */
function envelope(
  world: World,
  record: InteractionRecord,
  permissions: string | undefined,
  locale: string | undefined,
  appPermissions?: string,
): Json {
  return {
    id: record.id,
    application_id: world.applicationId,
    type: record.type,
    token: record.token,
    version: 1,
    guild_id: world.guildId,
    guild: { id: world.guildId, locale: 'en-US', features: [] },
    guild_locale: 'en-US',
    channel_id: record.channelId,
    channel: { ...requireChannel(world, record.channelId) },
    member: { ...world.member(record.userId), permissions: permissions ?? '0' },
    app_permissions: appPermissions ?? world.botPermissions(),
    locale: locale ?? 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': world.guildId },
    context: 0,
    attachment_size_limit: FILE_SIZE_LIMIT,
  };
}

/** Discord resolves user/channel option values into full objects under `data.resolved`. */
function resolvedFor(world: World, options: InteractionOptionInput[]): Json | undefined {
  const users: Json = {};
  const members: Json = {};
  const channels: Json = {};
  const visit = (list: InteractionOptionInput[]): void => {
    for (const option of list) {
      const value = String(option.value);
      if (option.type === OptionType.User) {
        users[value] = world.user(value);
        const member = world.member(value);
        delete member.user;
        members[value] = { ...member, permissions: '0' };
      }
      const channel = option.type === OptionType.Channel ? world.channel(value) : undefined;
      if (channel) channels[value] = { ...channel, permissions: world.botPermissions() };
      if (option.options) visit(option.options);
    }
  };
  visit(options);
  const resolved: Json = {};
  if (Object.keys(users).length > 0) Object.assign(resolved, { users, members });
  if (Object.keys(channels).length > 0) resolved.channels = channels;
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}

export interface BuiltInteraction {
  record: InteractionRecord;
  payload: Json;
}

/** type 2 = APPLICATION_COMMAND, 4 = APPLICATION_COMMAND_AUTOCOMPLETE. */
export function commandInteraction(world: World, type: 2 | 4, input: SlashCommandInput): BuiltInteraction {
  const channelId = input.channelId ?? world.defaultChannelId;
  const record = newRecord(world, type, channelId, input.userId ?? world.defaultUserId);
  const command = world.commandIdFor(input.name);
  const data: Json = { id: command.id, name: input.name, type: 1 };
  if (command.guildId) data.guild_id = command.guildId;
  if (input.options && input.options.length > 0) {
    data.options = input.options;
    const resolved = resolvedFor(world, input.options);
    if (resolved) data.resolved = resolved;
  }
  return { record, payload: { ...envelope(world, record, input.memberPermissions, input.locale, input.appPermissions), data } };
}

/**
 * A message command (APPLICATION_COMMAND with data.type 3). Discord sends the chosen message, its text
 * included, under `data.resolved.messages`, whatever intents the bot has.
 */
export function messageCommandInteraction(world: World, input: MessageCommandInput): BuiltInteraction {
  const target = input.targetMessageId ? world.messages.get(input.targetMessageId) : inventUserMessage(world, input);
  if (!target) throw new Error(`FakeDiscord: no message ${input.targetMessageId}`);
  const record = newRecord(world, 2, input.channelId ?? target.channel_id, input.userId ?? world.defaultUserId);
  const command = world.commandIdFor(input.name);
  const data: Json = { id: command.id, name: input.name, type: 3, target_id: target.id, resolved: { messages: { [target.id]: target } } };
  if (command.guildId) data.guild_id = command.guildId;
  return { record, payload: { ...envelope(world, record, input.memberPermissions, undefined, input.appPermissions), data } };
}

function inventUserMessage(world: World, input: MessageCommandInput): Json {
  const authorId = input.authorId ?? world.ids.next();
  world.member(authorId);
  const message = messageObject({ id: world.ids.next(), channelId: input.channelId ?? world.defaultChannelId, author: world.user(authorId), content: input.content ?? '' });
  return world.storeMessage(message);
}

/** A button click; without a known messageId a bot message carrying that button is invented. */
export function buttonInteraction(world: World, input: ButtonInput): BuiltInteraction {
  const known = input.messageId ? world.messages.get(input.messageId) : undefined;
  const channelId = input.channelId ?? known?.channel_id ?? world.defaultChannelId;
  const record = newRecord(world, 3, channelId, input.userId ?? world.defaultUserId);
  const message = known ?? inventButtonMessage(world, channelId, input);
  record.sourceMessageId = message.id;
  const payload = {
    ...envelope(world, record, input.memberPermissions, input.locale, input.appPermissions),
    data: { custom_id: input.customId, component_type: 2 },
    message,
  };
  return { record, payload };
}

function inventButtonMessage(world: World, channelId: string, input: ButtonInput): Json {
  const button = { type: 2, style: 1, label: input.customId.slice(0, 80), custom_id: input.customId };
  const message = messageObject({
    id: input.messageId ?? world.ids.next(),
    channelId,
    author: world.botUser,
    content: 'message with a button',
    components: [{ type: 1, components: [button] }],
  });
  return world.storeMessage(message);
}
