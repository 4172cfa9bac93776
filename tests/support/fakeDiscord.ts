import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { FakeGateway, GatewayIntents } from './fakeDiscord/gateway.js';
import { isApiPath, rateLimitResponse, recordRequest, writeResponse } from './fakeDiscord/http.js';
import { buttonInteraction, commandInteraction, messageCommandInteraction, type BuiltInteraction } from './fakeDiscord/interactionPayloads.js';
import { gatewayMessage, mentionsFor } from './fakeDiscord/messages.js';
import { messageObject } from './fakeDiscord/objects.js';
import { allRoutes } from './fakeDiscord/rest.js';
import { dispatchRoute, type Route } from './fakeDiscord/router.js';
import type {
  ButtonInput,
  FakeDiscordOptions,
  FakeResponse,
  GatewayConnectionRecord,
  GatewayIdentifyRecord,
  Json,
  MessageCommandInput,
  MessageInput,
  RecordedRequest,
  SentInteraction,
  SentMessage,
  SlashCommandInput,
} from './fakeDiscord/types.js';
import { World } from './fakeDiscord/world.js';

export type {
  ButtonInput,
  FakeChannelOption,
  FakeDiscordOptions,
  FakeResponse,
  GatewayConnectionRecord,
  GatewayIdentifyRecord,
  InteractionOptionInput,
  MessageCommandInput,
  MessageInput,
  RecordedFile,
  RecordedRequest,
  SentInteraction,
  SentMessage,
  SlashCommandInput,
} from './fakeDiscord/types.js';

/** Real Discord's heartbeat interval; tests that want to see heartbeats pass a small value. */
const DEFAULT_HEARTBEAT_MS = 41_250;

interface Fault {
  method: string;
  pattern: RegExp;
  remaining: number;
  respond: () => FakeResponse;
}

interface RequestWaiter {
  method: string;
  pattern: RegExp;
  resolve: (request: RecordedRequest) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

function matches(request: RecordedRequest, method: string, pattern: RegExp): boolean {
  return (method === '*' || request.method === method.toUpperCase()) && pattern.test(request.path);
}

function describeRequest(request: RecordedRequest): string {
  const query = new URLSearchParams(request.query).toString();
  return `${request.method} ${request.path}${query ? `?${query}` : ''} -> ${request.status ?? 'pending'}`;
}

/**
 * A Discord stand-in on 127.0.0.1: REST under /api/v10 and a JSON gateway under /gateway,
 * good enough for the real discord.js client to log in and be driven end to end.
 */
export class FakeDiscord {
  readonly apiUrl: string;
  readonly requests: RecordedRequest[] = [];
  private readonly world: World;
  private readonly gateway: FakeGateway;
  private readonly routes: Route[];
  private readonly faults: Fault[] = [];
  private readonly consumed = new WeakSet<RecordedRequest>();
  private waiters: RequestWaiter[] = [];

  private constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
    port: number,
    world: World,
  ) {
    this.world = world;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    world.baseUrl = `http://127.0.0.1:${port}`;
    this.gateway = new FakeGateway(
      {
        ready: (session, resumeUrl, shard) => world.readyPayload(session, resumeUrl, shard),
        guildCreate: () => world.guildCreatePayload(),
        membersChunk: (request) => world.membersChunk(request),
      },
      options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS,
    );
    this.gateway.wsBaseUrl = `ws://127.0.0.1:${port}`;
    this.routes = allRoutes(options.interactionResponseTimeoutMs ?? 3000);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.onRequest(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const world = new World(options);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new FakeDiscord(server, options, port, world);
  }

  get applicationId(): string {
    return this.world.applicationId;
  }
  get botUserId(): string {
    return this.world.botUserId;
  }
  get guildId(): string {
    return this.world.guildId;
  }
  /** The member used when a send* call gives no userId (also the guild owner). */
  get defaultUserId(): string {
    return this.world.defaultUserId;
  }
  get defaultChannelId(): string {
    return this.world.defaultChannelId;
  }
  get identifyCount(): number {
    return this.gateway.identifies.length;
  }
  get resumeCount(): number {
    return this.gateway.resumeCount;
  }
  get heartbeatCount(): number {
    return this.gateway.heartbeatCount;
  }
  /** Intents of the current (or last) session, as sent in IDENTIFY. */
  get intents(): number | null {
    return this.gateway.intents;
  }
  get identifies(): readonly GatewayIdentifyRecord[] {
    return this.gateway.identifies;
  }
  get gatewayConnections(): readonly GatewayConnectionRecord[] {
    return this.gateway.connections;
  }

  requestsTo(method: string, pathPattern: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => matches(request, method, pathPattern));
  }

  /**
   * The first answered request matching method ('*' for any) and path that no earlier wait returned,
   * so consecutive waits walk through successive calls.
   */
  waitForRequest(method: string, pathPattern: RegExp, timeoutMs = 2000): Promise<RecordedRequest> {
    const found = this.requests.find((r) => !this.consumed.has(r) && matches(r, method, pathPattern));
    if (found) {
      this.consumed.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const waiter: RequestWaiter = {
        method,
        pattern: pathPattern,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          const recent = this.requests.slice(-15).map(describeRequest).join('\n  ') || '(none)';
          const summary = `FakeDiscord: no ${method} ${pathPattern} within ${timeoutMs}ms`;
          reject(new Error(`${summary}. Recent requests:\n  ${recent}`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves when a session is live: after IDENTIFY → READY (+ GUILD_CREATE), or after a RESUME → RESUMED. */
  waitForReady(timeoutMs = 5000): Promise<void> {
    return this.gateway.waitForReady(timeoutMs);
  }

  sendSlashCommand(opts: SlashCommandInput): SentInteraction {
    return this.dispatchInteraction(commandInteraction(this.world, 2, opts));
  }

  sendAutocomplete(opts: SlashCommandInput): SentInteraction {
    if (!opts.options?.some((option) => option.focused)) {
      throw new Error('FakeDiscord: sendAutocomplete needs a focused option');
    }
    return this.dispatchInteraction(commandInteraction(this.world, 4, opts));
  }

  /** The id of the DM channel between the bot and a user (made on first use, as Discord does). */
  dmChannelId(userId: string): string {
    return this.world.dmChannelFor(userId).id;
  }

  /** A command from a message's *Apps* menu. */
  sendMessageCommand(opts: MessageCommandInput): SentInteraction {
    return this.dispatchInteraction(messageCommandInteraction(this.world, opts));
  }

  sendButton(opts: ButtonInput): SentInteraction {
    return this.dispatchInteraction(buttonInteraction(this.world, opts));
  }

  /**
   * MESSAGE_CREATE from a user. Like Discord, it is only delivered if the session subscribed to
   * GUILD_MESSAGES (DIRECT_MESSAGES for DMs), and content is blanked without MESSAGE_CONTENT
   * unless the bot is mentioned or it is a DM.
   */
  sendMessage(opts: MessageInput): SentMessage {
    this.requireSession('MESSAGE_CREATE');
    const { world } = this;
    const inGuild = opts.guildId !== null;
    if (opts.guildId && opts.guildId !== world.guildId) {
      throw new Error(`FakeDiscord: only guild ${world.guildId} exists (got ${opts.guildId})`);
    }
    const userId = opts.userId ?? (opts.bot ? world.ids.next() : world.defaultUserId);
    const author = world.user(userId);
    if (opts.bot) author.bot = true;
    const channelId = opts.channelId ?? (inGuild ? world.defaultChannelId : world.dmChannelFor(userId).id);
    const content = opts.mentionsBot ? `<@${world.botUserId}> ${opts.content}` : opts.content;
    if (inGuild) world.member(userId);
    const referenced = opts.replyTo === undefined ? undefined : world.messages.get(opts.replyTo);
    if (opts.replyTo !== undefined && referenced?.channel_id !== channelId) {
      throw new Error(`FakeDiscord: no message ${opts.replyTo} in channel ${channelId} to reply to`);
    }
    const pingsReplied = referenced !== undefined && (opts.pingReplied ?? true);
    const mentioned = mentionsFor(world, content, undefined);
    if (pingsReplied && !mentioned.some((user) => user.id === referenced.author.id)) mentioned.push(referenced.author);
    const mentions = mentioned.map((user) => this.withMember(user, inGuild));
    const message = world.storeMessage(messageObject({ id: world.ids.next(), channelId, author, content, mentions, type: referenced ? 19 : 0 }));
    if (referenced) {
      message.message_reference = { type: 0, message_id: referenced.id, channel_id: channelId, guild_id: inGuild ? world.guildId : undefined };
      message.referenced_message = referenced;
    }
    // A reply's ping is a mention, to an interaction's response too (discord-api-docs#5395, fixed in 2023):
    // Discord then sends the content without the Message Content intent.
    const payload = this.dispatchUserMessage('MESSAGE_CREATE', message);
    return { id: message.id, payload };
  }

  /**
   * A user edits their message: MESSAGE_UPDATE with the whole message (as Discord sends it since 2024),
   * delivered under the same intents as MESSAGE_CREATE, its mentions read from the new content (a reply's
   * ping stays).
   */
  editMessage(messageId: string, content: string): SentMessage {
    this.requireSession('MESSAGE_UPDATE');
    const message = this.world.messages.get(messageId);
    if (!message || message.author.id === this.world.botUserId) throw new Error(`FakeDiscord: no user message ${messageId} to edit`);
    const inGuild = Boolean(this.world.channel(message.channel_id)?.guild_id);
    const repliedPing = (message.mentions as Json[]).filter((user) => user.id === message.referenced_message?.author.id);
    const mentioned = mentionsFor(this.world, content, undefined);
    for (const user of repliedPing) if (!mentioned.some((m) => m.id === user.id)) mentioned.push(this.world.user(user.id));
    Object.assign(message, { content, edited_timestamp: new Date().toISOString(), mentions: mentioned.map((user) => this.withMember(user, inGuild)) });
    return { id: message.id, payload: this.dispatchUserMessage('MESSAGE_UPDATE', message) };
  }

  /** A user (or a moderator) deletes a message: MESSAGE_DELETE, under the intents of MESSAGE_CREATE. */
  deleteMessage(messageId: string): void {
    this.requireSession('MESSAGE_DELETE');
    const message = this.world.messages.get(messageId);
    if (!message) throw new Error(`FakeDiscord: no message ${messageId} to delete`);
    this.world.messages.delete(messageId);
    const guildId = this.world.channel(message.channel_id)?.guild_id;
    const intent = guildId ? GatewayIntents.GuildMessages : GatewayIntents.DirectMessages;
    if (this.gateway.hasIntent(intent)) this.gateway.dispatch('MESSAGE_DELETE', { id: message.id, channel_id: message.channel_id, ...(guildId ? { guild_id: guildId } : {}) });
  }

  failNext(method: string, pathPattern: RegExp, response: FakeResponse, times = 1): void {
    const body = response.body ?? { message: `${response.status}: injected failure`, code: 0 };
    this.faults.push({ method, pattern: pathPattern, remaining: times, respond: () => ({ ...response, body }) });
  }

  rateLimitNext(method: string, pathPattern: RegExp, retryAfterSeconds: number, times = 1): void {
    const bucket = `fake-bucket-${this.faults.length}`;
    this.faults.push({
      method,
      pattern: pathPattern,
      remaining: times,
      respond: () => rateLimitResponse(retryAfterSeconds, bucket),
    });
  }

  /**
   * 4000 (unknown error) makes discord.js resume; 1000 makes it re-identify (after its 5s identify throttle).
   * 4007 and 4009 end the session as on Discord, so the client's RESUME gets op 9 and it re-identifies;
   * `resumable` overrides that for any code.
   */
  closeGateway(code = 4000, options: { resumable?: boolean } = {}): void {
    this.gateway.closeGateway(code, options.resumable);
  }

  /** Op 9 Invalid Session (not resumable) on the live connection: discord.js re-identifies (after its 5s identify throttle). */
  invalidateSession(): void {
    this.gateway.invalidateSession();
  }

  /** Commands registered through PUT/POST, global when guildId is omitted. */
  registeredCommands(guildId?: string): Json[] {
    return this.world.commandsIn(guildId);
  }

  /** Messages currently stored in a channel or thread (bot and user authored), oldest first. */
  messagesIn(channelId: string): Json[] {
    return this.world.messagesIn(channelId);
  }

  channel(channelId: string): Json | undefined {
    return this.world.channel(channelId);
  }

  async stop(): Promise<void> {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('FakeDiscord stopped'));
    }
    this.waiters = [];
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private requireSession(event: string): void {
    if (!this.gateway.isReady) throw new Error(`FakeDiscord: cannot send ${event}, no client session is ready`);
  }

  private dispatchInteraction(built: BuiltInteraction): SentInteraction {
    this.requireSession('INTERACTION_CREATE');
    this.gateway.dispatch('INTERACTION_CREATE', built.payload);
    return { id: built.record.id, token: built.record.token, payload: built.payload };
  }

  /**
   * Sends a user's message event. Like Discord, only with GUILD_MESSAGES (DIRECT_MESSAGES for DMs), and with
   * the content blanked without MESSAGE_CONTENT unless the message mentions the bot or is a DM.
   */
  private dispatchUserMessage(event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: Json): Json {
    const payload = gatewayMessage(this.world, message);
    const inGuild = payload.guild_id !== undefined;
    const mentionsBot = (message.mentions as Json[]).some((user) => user.id === this.world.botUserId);
    if (!this.gateway.hasIntent(GatewayIntents.MessageContent) && inGuild && !mentionsBot) {
      Object.assign(payload, { content: '', embeds: [], attachments: [], components: [] });
    }
    const intent = inGuild ? GatewayIntents.GuildMessages : GatewayIntents.DirectMessages;
    if (this.gateway.hasIntent(intent)) this.gateway.dispatch(event, payload);
    return payload;
  }

  private withMember(user: Json, inGuild: boolean): Json {
    if (!inGuild) return user;
    const member = this.world.member(user.id);
    delete member.user;
    return { ...user, member };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let request: RecordedRequest | undefined;
    try {
      const isApi = isApiPath(req.url);
      request = await recordRequest(req);
      this.requests.push(request);
      const effects: Array<() => void> = [];
      const response = this.takeFault(request) ?? this.route(request, isApi, effects);
      request.status = response.status;
      writeResponse(res, response);
      for (const effect of effects) effect();
    } catch (error) {
      // A bug in the stand-in must surface in the test, not hang discord.js on a dropped socket.
      if (request) request.status = 500;
      writeResponse(res, { status: 500, body: { message: `FakeDiscord internal error: ${String(error)}`, code: 0 } });
    } finally {
      if (request) this.notifyWaiters(request);
    }
  }

  private route(request: RecordedRequest, isApi: boolean, effects: Array<() => void>): FakeResponse {
    if (!isApi) return { status: 404, body: { message: '404: Not Found', code: 0 } };
    return dispatchRoute(this.routes, {
      world: this.world,
      gateway: this.gateway,
      req: request,
      after: (effect) => effects.push(effect),
    });
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/gateway' || path.startsWith('/gateway/')) {
      this.gateway.handleUpgrade(req, socket, head);
      return;
    }
    socket.destroy();
  }

  /** Waiters hear about a request only once it was answered, so status and side effects are visible. */
  private notifyWaiters(request: RecordedRequest): void {
    const waiter = this.waiters.find((w) => matches(request, w.method, w.pattern));
    if (!waiter) return;
    this.waiters = this.waiters.filter((w) => w !== waiter);
    clearTimeout(waiter.timer);
    this.consumed.add(request);
    waiter.resolve(request);
  }

  private takeFault(request: RecordedRequest): FakeResponse | null {
    const fault = this.faults.find((f) => f.remaining > 0 && matches(request, f.method, f.pattern));
    if (!fault) return null;
    fault.remaining -= 1;
    return fault.respond();
  }
}
