import { isoNow } from './ids.js';
import type { Json } from './types.js';

function bits(...positions: number[]): string {
  return positions.reduce((acc, bit) => acc | (1n << BigInt(bit)), 0n).toString();
}

/**
 * Roughly Discord's default @everyone set: view, send, react, embed, attach,
 * history, external emoji, nickname, app commands, threads.
 */
export const EVERYONE_PERMISSIONS = bits(0, 6, 10, 11, 14, 15, 16, 18, 26, 31, 35, 36, 38);
/** The bot's managed role adds manage messages/threads so moderation-ish code paths work. */
export const BOT_ROLE_PERMISSIONS = bits(0, 6, 10, 11, 13, 14, 15, 16, 18, 26, 31, 34, 35, 36, 38);

export const ChannelTypes = { GuildText: 0, DM: 1, PublicThread: 11, PrivateThread: 12 } as const;
export const MessageFlagBits = { SuppressEmbeds: 1 << 2, HasThread: 1 << 5, Ephemeral: 1 << 6, Loading: 1 << 7 } as const;

export function userObject(id: string, opts: { username?: string; bot?: boolean } = {}): Json {
  const user: Json = {
    id,
    username: opts.username ?? `user${id.slice(-4)}`,
    discriminator: opts.bot ? '0001' : '0',
    global_name: opts.bot ? null : (opts.username ?? `User ${id.slice(-4)}`),
    avatar: null,
    avatar_decoration_data: null,
    public_flags: 0,
  };
  if (opts.bot) user.bot = true;
  return user;
}

export function memberObject(roles: string[], joinedAt: string, user?: Json): Json {
  const member: Json = {
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
  if (user) member.user = user;
  return member;
}

export function roleObject(id: string, name: string, permissions: string, position: number, managed = false): Json {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed,
    mentionable: false,
    flags: 0,
  };
}

export function textChannelObject(id: string, guildId: string, name: string, position: number): Json {
  return {
    id,
    type: ChannelTypes.GuildText,
    guild_id: guildId,
    name,
    position,
    permission_overwrites: [],
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

export interface ThreadSpec {
  id: string;
  guildId: string;
  parentId: string;
  ownerId: string;
  name: string;
  type?: number;
  autoArchiveDuration?: number;
  invitable?: boolean;
}

export function threadChannelObject(spec: ThreadSpec): Json {
  const now = isoNow();
  const type = spec.type ?? ChannelTypes.PublicThread;
  const metadata: Json = {
    archived: false,
    auto_archive_duration: spec.autoArchiveDuration ?? 4320,
    archive_timestamp: now,
    locked: false,
    create_timestamp: now,
  };
  if (type === ChannelTypes.PrivateThread) metadata.invitable = spec.invitable ?? true;
  return {
    id: spec.id,
    type,
    guild_id: spec.guildId,
    parent_id: spec.parentId,
    owner_id: spec.ownerId,
    name: spec.name,
    last_message_id: null,
    message_count: 0,
    member_count: 1,
    rate_limit_per_user: 0,
    flags: 0,
    total_message_sent: 0,
    thread_metadata: metadata,
  };
}

export function dmChannelObject(id: string, recipient: Json): Json {
  return { id, type: ChannelTypes.DM, last_message_id: null, flags: 0, recipients: [recipient] };
}

export interface MessageSpec {
  id: string;
  channelId: string;
  author: Json;
  content?: string | undefined;
  embeds?: Json[] | undefined;
  components?: Json[] | undefined;
  attachments?: Json[] | undefined;
  mentions?: Json[] | undefined;
  flags?: number | undefined;
  type?: number | undefined;
  webhookId?: string | undefined;
  applicationId?: string | undefined;
  interactionMetadata?: Json | undefined;
}

export function messageObject(spec: MessageSpec): Json {
  const message: Json = {
    id: spec.id,
    type: spec.type ?? 0,
    content: spec.content ?? '',
    channel_id: spec.channelId,
    author: spec.author,
    attachments: spec.attachments ?? [],
    embeds: (spec.embeds ?? []).map((embed) => ({ type: 'rich', ...embed })),
    mentions: spec.mentions ?? [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: isoNow(),
    edited_timestamp: null,
    flags: spec.flags ?? 0,
    components: spec.components ?? [],
  };
  if (spec.webhookId) message.webhook_id = spec.webhookId;
  if (spec.applicationId) message.application_id = spec.applicationId;
  if (spec.interactionMetadata) message.interaction_metadata = spec.interactionMetadata;
  return message;
}

/** Fields a message edit (PATCH) may change; everything else on the stored message stays. */
export function applyMessageEdit(message: Json, edit: Json, attachments: Json[] | undefined): void {
  for (const key of ['content', 'components'] as const) {
    if (key in edit && edit[key] !== undefined) message[key] = edit[key] ?? (key === 'content' ? '' : []);
  }
  if ('embeds' in edit && edit.embeds !== undefined) {
    message.embeds = (edit.embeds ?? []).map((embed: Json) => ({ type: 'rich', ...embed }));
  }
  if (attachments) message.attachments = attachments;
  // Discord only lets an edit toggle SUPPRESS_EMBEDS; other flags are ignored.
  if (typeof edit.flags === 'number') {
    const suppress = MessageFlagBits.SuppressEmbeds;
    message.flags = (message.flags & ~suppress) | (edit.flags & suppress);
  }
  message.flags &= ~MessageFlagBits.Loading;
  message.edited_timestamp = isoNow();
}
