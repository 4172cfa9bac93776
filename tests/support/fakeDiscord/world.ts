import { SnowflakeGenerator, isoNow } from './ids.js';
import {
  BOT_ROLE_PERMISSIONS,
  ChannelTypes,
  EVERYONE_PERMISSIONS,
  dmChannelObject,
  memberObject,
  roleObject,
  textChannelObject,
  threadChannelObject,
  userObject,
} from './objects.js';
import type { FakeChannelOption, FakeDiscordOptions, Json } from './types.js';

export interface InteractionRecord {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete. */
  type: number;
  channelId: string;
  guildId: string | null;
  userId: string;
  createdAt: number;
  callbackType: number | null;
  originalMessageId: string | null;
  /** The message a component was attached to; `update`/`deferUpdate` target it. */
  sourceMessageId: string | null;
  messageIds: Set<string>;
}

const GLOBAL_SCOPE = '';

/** Everything the fake server knows: one guild, its channels, users, messages and registered commands. */
export class World {
  readonly ids = new SnowflakeGenerator();
  readonly applicationId: string;
  readonly botUserId: string;
  readonly guildId: string;
  readonly defaultUserId: string;
  readonly botRoleId: string;
  readonly guildName = 'Fake Guild';
  readonly joinedAt = isoNow();
  readonly users = new Map<string, Json>();
  readonly channels = new Map<string, Json>();
  readonly messages = new Map<string, Json>();
  readonly interactions = new Map<string, InteractionRecord>();
  private readonly members = new Map<string, Json>();
  private readonly commands = new Map<string, Json[]>();
  private readonly dmChannelIds = new Map<string, string>();
  /** Set once the HTTP server listens; used for attachment URLs. */
  baseUrl = '';

  constructor(options: FakeDiscordOptions) {
    this.applicationId = options.applicationId ?? this.ids.next();
    this.botUserId = options.botUserId ?? this.applicationId;
    this.guildId = options.guildId ?? this.ids.next();
    this.defaultUserId = this.ids.next();
    this.botRoleId = this.ids.next();
    this.users.set(this.botUserId, userObject(this.botUserId, { username: 'quotebot', bot: true }));
    this.users.set(this.defaultUserId, userObject(this.defaultUserId, { username: 'tester' }));
    this.members.set(this.botUserId, memberObject([this.botRoleId], this.joinedAt));
    this.members.set(this.defaultUserId, memberObject([], this.joinedAt));
    this.addChannels(options.channels ?? [{ id: this.ids.next(), name: 'general', type: ChannelTypes.GuildText }]);
  }

  get botUser(): Json {
    return this.user(this.botUserId);
  }

  get defaultChannelId(): string {
    const text = [...this.channels.values()].find((channel) => channel.type === ChannelTypes.GuildText);
    if (!text) throw new Error('FakeDiscord: no text channel configured');
    return text.id;
  }

  user(id: string): Json {
    let user = this.users.get(id);
    if (!user) {
      user = userObject(id);
      this.users.set(id, user);
    }
    return user;
  }

  /** Guild member with embedded user; unknown users are joined on demand so any userId can act in the guild. */
  member(userId: string): Json {
    let member = this.members.get(userId);
    if (!member) {
      member = memberObject([], isoNow());
      this.members.set(userId, member);
    }
    return { ...member, user: this.user(userId) };
  }

  hasMember(userId: string): boolean {
    return this.members.has(userId);
  }

  channel(id: string): Json | undefined {
    return this.channels.get(id);
  }

  isThread(channel: Json): boolean {
    return channel.type === ChannelTypes.PublicThread || channel.type === ChannelTypes.PrivateThread;
  }

  dmChannelFor(userId: string): Json {
    let id = this.dmChannelIds.get(userId);
    if (!id) {
      id = this.ids.next();
      this.dmChannelIds.set(userId, id);
      this.channels.set(id, dmChannelObject(id, this.user(userId)));
    }
    return this.channels.get(id) as Json;
  }

  createThread(parentId: string, ownerId: string, body: Json, id = this.ids.next()): Json {
    const thread = threadChannelObject({
      id,
      guildId: this.guildId,
      parentId,
      ownerId,
      name: body.name,
      type: body.type,
      autoArchiveDuration: body.auto_archive_duration,
      invitable: body.invitable,
    });
    this.channels.set(id, thread);
    return thread;
  }

  storeMessage(message: Json): Json {
    this.messages.set(message.id, message);
    const channel = this.channels.get(message.channel_id);
    if (channel) {
      channel.last_message_id = message.id;
      if (this.isThread(channel)) {
        channel.message_count += 1;
        channel.total_message_sent += 1;
      }
    }
    return message;
  }

  messagesIn(channelId: string): Json[] {
    return [...this.messages.values()].filter((message) => message.channel_id === channelId);
  }

  botPermissions(): string {
    return (BigInt(EVERYONE_PERMISSIONS) | BigInt(BOT_ROLE_PERMISSIONS)).toString();
  }

  commandsIn(guildId?: string): Json[] {
    return this.commands.get(guildId ?? GLOBAL_SCOPE) ?? [];
  }

  /** Bulk overwrite keeps ids of commands whose name+type survive, as Discord does. */
  putCommands(list: Json[], guildId?: string): Json[] {
    const previous = this.commandsIn(guildId);
    const next = list.map((command) => {
      const kept = previous.find((old) => old.name === command.name && old.type === (command.type ?? 1));
      return this.commandObject(command, kept?.id ?? this.ids.next(), guildId);
    });
    this.commands.set(guildId ?? GLOBAL_SCOPE, next);
    return next;
  }

  addCommand(command: Json, guildId?: string): Json {
    const others = this.commandsIn(guildId).filter((old) => old.name !== command.name);
    const created = this.commandObject(command, this.ids.next(), guildId);
    this.commands.set(guildId ?? GLOBAL_SCOPE, [...others, created]);
    return created;
  }

  /** Id of a registered command, preferring guild scope as Discord's client would show it. */
  commandIdFor(name: string): { id: string; guildId?: string } {
    const guild = this.commandsIn(this.guildId).find((command) => command.name === name);
    if (guild) return { id: guild.id, guildId: this.guildId };
    const global = this.commandsIn().find((command) => command.name === name);
    return { id: global?.id ?? this.ids.next() };
  }

  /** Answers gateway op 8 for explicit user_ids; listing everyone would need the privileged members intent. */
  membersChunk(request: Json): Json {
    const ids: unknown = request.user_ids;
    const wanted: string[] = Array.isArray(ids) ? ids : typeof ids === 'string' ? [ids] : [];
    const found = wanted.filter((id) => this.hasMember(id));
    return {
      guild_id: this.guildId,
      members: found.map((id) => this.member(id)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: wanted.filter((id) => !found.includes(id)),
      nonce: request.nonce,
    };
  }

  guildObject(): Json {
    return {
      id: this.guildId,
      name: this.guildName,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: this.defaultUserId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      features: [],
      roles: this.roles(),
      emojis: [],
      stickers: [],
      application_id: null,
      system_channel_id: this.defaultChannelId,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      max_presences: null,
      max_members: 500000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      incidents_data: null,
    };
  }

  guildCreatePayload(): Json {
    const guildChannels = [...this.channels.values()].filter((channel) => channel.guild_id === this.guildId);
    const members = [...this.members.keys()].map((userId) => this.member(userId));
    return {
      ...this.guildObject(),
      joined_at: this.joinedAt,
      large: false,
      unavailable: false,
      lazy: true,
      member_count: members.length,
      members,
      channels: guildChannels.filter((channel) => !this.isThread(channel)),
      threads: guildChannels.filter((channel) => this.isThread(channel)),
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
    };
  }

  readyPayload(sessionId: string, resumeGatewayUrl: string, shard: [number, number]): Json {
    return {
      v: 10,
      user_settings: {},
      user: { ...this.botUser, verified: true, mfa_enabled: false, email: null, flags: 0 },
      guilds: [{ id: this.guildId, unavailable: true }],
      guild_join_requests: [],
      relationships: [],
      private_channels: [],
      presences: [],
      session_id: sessionId,
      session_type: 'normal',
      resume_gateway_url: resumeGatewayUrl,
      shard,
      // GATEWAY_MESSAGE_CONTENT_LIMITED | APPLICATION_COMMAND_BADGE, like an unverified bot.
      application: { id: this.applicationId, flags: (1 << 19) | (1 << 23) },
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ['["fake-gateway",{"micros":0}]'],
    };
  }

  applicationObject(): Json {
    return {
      id: this.applicationId,
      name: 'quotebot',
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: (1 << 19) | (1 << 23),
      owner: this.user(this.defaultUserId),
      team: null,
      bot: this.botUser,
      approximate_guild_count: 1,
      integration_types_config: { '0': {} },
    };
  }

  private roles(): Json[] {
    return [
      roleObject(this.guildId, '@everyone', EVERYONE_PERMISSIONS, 0),
      roleObject(this.botRoleId, 'quotebot', BOT_ROLE_PERMISSIONS, 1, true),
    ];
  }

  private addChannels(options: FakeChannelOption[]): void {
    const parents = options.filter((option) => (option.type ?? 0) === ChannelTypes.GuildText);
    options.forEach((option, position) => {
      const type = option.type ?? ChannelTypes.GuildText;
      const name = option.name ?? `channel-${position}`;
      if (type === ChannelTypes.PublicThread || type === ChannelTypes.PrivateThread) {
        const parentId = option.parent_id ?? parents[0]?.id;
        if (!parentId) throw new Error(`FakeDiscord: thread ${option.id} needs a parent_id`);
        this.createThread(parentId, this.defaultUserId, { name, type }, option.id);
        return;
      }
      this.channels.set(option.id, textChannelObject(option.id, this.guildId, name, position));
    });
  }

  private commandObject(command: Json, id: string, guildId?: string): Json {
    const type = command.type ?? 1;
    const object: Json = {
      id,
      application_id: this.applicationId,
      version: this.ids.next(),
      type,
      name: command.name,
      name_localizations: command.name_localizations ?? null,
      description: command.description ?? '',
      description_localizations: command.description_localizations ?? null,
      default_member_permissions: command.default_member_permissions ?? null,
      nsfw: command.nsfw ?? false,
      integration_types: command.integration_types ?? [0],
      contexts: command.contexts ?? null,
    };
    if (command.options) object.options = command.options;
    if (guildId) object.guild_id = guildId;
    return object;
  }
}
