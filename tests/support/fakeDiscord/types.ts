/** A Discord API object as it travels over the wire (snake_case JSON). */
export type Json = Record<string, any>;

export interface RecordedFile {
  fieldName: string;
  name: string;
  contentType: string;
  size: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without the `/api/v10` prefix, e.g. `/interactions/123/tok/callback`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, or for multipart the parsed `payload_json`; null when there was no body. */
  body: any;
  headers: Record<string, string>;
  at: number;
  /** Files attached to a multipart request (empty for JSON requests). */
  files: RecordedFile[];
  /** HTTP status the stand-in answered with; set once the response is written. */
  status?: number;
}

export interface FakeChannelOption {
  id: string;
  name?: string;
  /** 0 text, 11 public thread, 12 private thread. */
  type?: number;
  parent_id?: string;
}

export interface FakeDiscordOptions {
  applicationId?: string;
  botUserId?: string;
  guildId?: string;
  channels?: FakeChannelOption[];
  heartbeatIntervalMs?: number;
  /** Discord rejects an initial interaction response that arrives this late or later (real value: 3000); 0 rejects all. */
  interactionResponseTimeoutMs?: number;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface InteractionOptionInput {
  name: string;
  type: number;
  value?: unknown;
  focused?: boolean;
  options?: InteractionOptionInput[];
}

export interface SlashCommandInput {
  name: string;
  options?: InteractionOptionInput[];
  userId?: string;
  channelId?: string;
  /** Permission bitfield string of the invoking member; default '0'. */
  memberPermissions?: string;
  /** The bot's permissions in the channel as Discord reports them (`app_permissions`); default: its roles' permissions. */
  appPermissions?: string;
  locale?: string;
}

/** A command chosen in a message's *Apps* menu, on a stored message or on one made up with `content`. */
export interface MessageCommandInput {
  name: string;
  /** A message the fake already holds (sent with `sendMessage`, or by the bot). */
  targetMessageId?: string;
  /** Without `targetMessageId`: the text of a message a user wrote earlier. */
  content?: string;
  /** Author of the made-up message; default a new user. */
  authorId?: string;
  userId?: string;
  channelId?: string;
  memberPermissions?: string;
  appPermissions?: string;
}

export interface ButtonInput {
  customId: string;
  userId?: string;
  /** The clicker's client language; default en-US. */
  locale?: string;
  channelId?: string;
  messageId?: string;
  memberPermissions?: string;
  /** The bot's permissions in the channel (`app_permissions`); default: its roles' permissions. */
  appPermissions?: string;
}

export interface MessageInput {
  content: string;
  userId?: string;
  channelId?: string;
  mentionsBot?: boolean;
  /** null sends a DM. */
  guildId?: string | null;
  bot?: boolean;
  /** A Discord reply to this message (in the same channel): carries message_reference and referenced_message. */
  replyTo?: string;
  /** Whether the reply pings the replied-to author, Discord's default (it then lists them in `mentions`). */
  pingReplied?: boolean;
}

export interface SentInteraction {
  id: string;
  token: string;
  payload: any;
}

export interface SentMessage {
  id: string;
  payload: any;
}

export interface GatewayIdentifyRecord {
  token: string;
  intents: number;
  properties: Json;
  shard?: [number, number];
  compress?: boolean;
  at: number;
}

export interface GatewayConnectionRecord {
  path: string;
  query: Record<string, string>;
  at: number;
}
