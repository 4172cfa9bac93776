import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { sessionId as newSessionId } from './ids.js';
import type { GatewayConnectionRecord, GatewayIdentifyRecord, Json } from './types.js';

export const GatewayIntents = { Guilds: 1 << 0, GuildMessages: 1 << 9, DirectMessages: 1 << 12, MessageContent: 1 << 15 };

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Presence: 3,
  Voice: 4,
  Resume: 6,
  RequestMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;
const Close = {
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidApiVersion: 4012,
} as const;
const TRACE = ['["fake-gateway",{"micros":0}]'];
/** Close codes after which Discord has ended the session: a RESUME is answered with op 9 (invalid session). */
const SESSION_ENDING_CLOSE_CODES = new Set([4007, 4009]);
const SUPPORTED_VERSIONS = new Set(['9', '10']);

export interface GatewayHooks {
  ready(sessionId: string, resumeGatewayUrl: string, shard: [number, number]): Json;
  guildCreate(): Json;
  membersChunk(request: Json): Json;
}

interface Session {
  id: string;
  token: string;
  seq: number;
  intents: number;
}

interface ReadyWaiter {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Connection {
  socket: WebSocket;
  session: Session | null;
}

/** The gateway half of the stand-in: one active client session at a time, like a single-shard bot. */
export class FakeGateway {
  readonly identifies: GatewayIdentifyRecord[] = [];
  readonly connections: GatewayConnectionRecord[] = [];
  resumeCount = 0;
  heartbeatCount = 0;
  wsBaseUrl = '';
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<WebSocket>();
  private active: Connection | null = null;
  private readyWaiters: ReadyWaiter[] = [];

  constructor(
    private readonly hooks: GatewayHooks,
    private readonly heartbeatIntervalMs: number,
  ) {}

  get gatewayUrl(): string {
    return `${this.wsBaseUrl}/gateway`;
  }

  /** A distinct resume URL proves the client honours `resume_gateway_url` rather than reusing /gateway/bot. */
  get resumeGatewayUrl(): string {
    return `${this.wsBaseUrl}/gateway/resume`;
  }

  get intents(): number | null {
    return this.active?.session?.intents ?? this.identifies.at(-1)?.intents ?? null;
  }

  get isReady(): boolean {
    return this.active !== null;
  }

  hasIntent(bit: number): boolean {
    return ((this.intents ?? 0) & bit) === bit;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, url));
  }

  /** Sends a dispatch to the ready client; throws so a test never silently loses an event it meant to send. */
  dispatch(t: string, d: Json): Json {
    const active = this.active;
    if (!active?.session) throw new Error(`FakeDiscord: cannot dispatch ${t}, no client session is ready`);
    this.send(active.socket, { op: Op.Dispatch, t, s: ++active.session.seq, d });
    return d;
  }

  /** Server-originated echoes (e.g. the bot's own MESSAGE_CREATE) are dropped when nobody is listening, as on Discord. */
  dispatchIfSubscribed(t: string, d: Json, intent: number): void {
    if (this.active && this.hasIntent(intent)) this.dispatch(t, d);
  }

  /** `resumable` defaults to what Discord does: the session survives every close code but 4007 and 4009. */
  closeGateway(code: number, resumable = !SESSION_ENDING_CLOSE_CODES.has(code)): void {
    const active = this.active;
    if (!active) throw new Error('FakeDiscord: closeGateway called with no connected client');
    this.active = null;
    if (!resumable && active.session) this.sessions.delete(active.session.id);
    active.socket.close(code, 'closed by FakeDiscord');
  }

  /** Op 9 with d: false on the live connection: the session is gone, the client must identify anew. */
  invalidateSession(): void {
    const active = this.active;
    if (!active?.session) throw new Error('FakeDiscord: invalidateSession called with no ready client');
    this.active = null;
    this.sessions.delete(active.session.id);
    this.send(active.socket, { op: Op.InvalidSession, d: false });
  }

  waitForReady(timeoutMs: number): Promise<void> {
    if (this.active) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: ReadyWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.readyWaiters = this.readyWaiters.filter((w) => w !== waiter);
          const identifies = this.identifies.length;
          reject(new Error(`FakeDiscord: no client became ready within ${timeoutMs}ms (identifies so far: ${identifies})`));
        }, timeoutMs),
      };
      this.readyWaiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    this.active = null;
    for (const waiter of this.readyWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('FakeDiscord stopped'));
    }
    this.readyWaiters = [];
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket, url: URL): void {
    const query = Object.fromEntries(url.searchParams.entries());
    this.connections.push({ path: url.pathname, query, at: Date.now() });
    this.sockets.add(socket);
    const connection: Connection = { socket, session: null };
    socket.on('close', () => this.onSocketClosed(connection));
    socket.on('message', (data) => this.onMessage(connection, data));
    // @discordjs/ws parses text frames as plain JSON even when it asked for zlib-stream, so compression is never needed.
    if (query.v !== undefined && !SUPPORTED_VERSIONS.has(query.v)) {
      socket.close(Close.InvalidApiVersion, 'Invalid API version');
      return;
    }
    const hello = { heartbeat_interval: this.heartbeatIntervalMs, _trace: TRACE };
    this.send(socket, { op: Op.Hello, d: hello, s: null, t: null });
  }

  private onSocketClosed(connection: Connection): void {
    this.sockets.delete(connection.socket);
    if (this.active === connection) this.active = null;
  }

  private onMessage(connection: Connection, data: RawData): void {
    let payload: Json;
    try {
      payload = JSON.parse(data.toString());
    } catch (error) {
      connection.socket.close(Close.DecodeError, `Error while decoding payload: ${String(error)}`);
      return;
    }
    this.handleOp(connection, payload);
  }

  private handleOp(connection: Connection, payload: Json): void {
    switch (payload.op) {
      case Op.Heartbeat:
        this.heartbeatCount += 1;
        this.send(connection.socket, { op: Op.HeartbeatAck });
        return;
      case Op.Identify:
        this.onIdentify(connection, payload.d ?? {});
        return;
      case Op.Resume:
        this.onResume(connection, payload.d ?? {});
        return;
      case Op.Presence:
      case Op.Voice:
        this.requireSession(connection);
        return;
      case Op.RequestMembers:
        if (this.requireSession(connection)) this.dispatch('GUILD_MEMBERS_CHUNK', this.hooks.membersChunk(payload.d ?? {}));
        return;
      default:
        connection.socket.close(Close.UnknownOpcode, 'Unknown opcode');
    }
  }

  private requireSession(connection: Connection): boolean {
    if (connection.session) return true;
    connection.socket.close(Close.NotAuthenticated, 'Not authenticated');
    return false;
  }

  private onIdentify(connection: Connection, d: Json): void {
    if (connection.session) {
      connection.socket.close(Close.AlreadyAuthenticated, 'Already authenticated');
      return;
    }
    if (typeof d.token !== 'string' || d.token.length === 0) {
      connection.socket.close(Close.AuthFailed, 'Authentication failed');
      return;
    }
    const shard: [number, number] = Array.isArray(d.shard) ? [d.shard[0], d.shard[1]] : [0, 1];
    const properties = d.properties ?? {};
    this.identifies.push({ token: d.token, intents: d.intents, properties, shard, compress: d.compress, at: Date.now() });
    const session: Session = { id: newSessionId(), token: d.token, seq: 0, intents: Number(d.intents ?? 0) };
    this.sessions.set(session.id, session);
    this.activate(connection, session);
    this.dispatch('READY', this.hooks.ready(session.id, this.resumeGatewayUrl, shard));
    if (this.hasIntent(GatewayIntents.Guilds)) this.dispatch('GUILD_CREATE', this.hooks.guildCreate());
    this.notifyReady();
  }

  /** Replays nothing: tests dispatch explicitly, so there are no missed events to redeliver. */
  private onResume(connection: Connection, d: Json): void {
    if (connection.session) {
      connection.socket.close(Close.AlreadyAuthenticated, 'Already authenticated');
      return;
    }
    const session = this.sessions.get(d.session_id);
    if (!session || session.token !== d.token) {
      this.send(connection.socket, { op: Op.InvalidSession, d: false });
      return;
    }
    this.resumeCount += 1;
    this.activate(connection, session);
    this.dispatch('RESUMED', { _trace: TRACE });
    this.notifyReady();
  }

  /** The newest live session receives dispatches; older sockets are left alone so two clients never fight. */
  private activate(connection: Connection, session: Session): void {
    connection.session = session;
    this.active = connection;
  }

  private notifyReady(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
  }

  private send(socket: WebSocket, payload: Json): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }
}
