import { once } from 'node:events';
import {
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  MessageFlags,
  Partials,
  Routes,
  type Interaction,
  type Message,
  type TextChannel,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord, type FakeDiscordOptions } from './fakeDiscord.js';

const TOKEN = 'fake-token.for.tests';
const DEFAULT_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];
const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;
const ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
const CHANNEL_MESSAGES = /^\/channels\/\d+\/messages$/;

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.stop();
  client = undefined;
  fake = undefined;
});

interface Started {
  fake: FakeDiscord;
  client: Client;
}

async function start(options: FakeDiscordOptions = {}, intents: GatewayIntentBits[] = DEFAULT_INTENTS, partials: Partials[] = []): Promise<Started> {
  const server = await FakeDiscord.start(options);
  fake = server;
  // retries: 1 keeps failure tests fast; the default (3) would just retry 500s more often.
  const bot = new Client({ intents, partials, rest: { api: server.apiUrl, retries: 1, timeout: 5000 } });
  client = bot;
  const ready = once(bot, Events.ClientReady);
  await bot.login(TOKEN);
  await ready;
  return { fake: server, client: bot };
}

/** Resolves with the handler's result for the next interaction, or rejects if discord.js threw. */
function handleNextInteraction<T>(bot: Client, handler: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    bot.once(Events.InteractionCreate, (interaction) => handler(interaction).then(resolve, reject));
  });
}

function defaultChannel(bot: Client, server: FakeDiscord): TextChannel {
  return bot.channels.cache.get(server.defaultChannelId) as TextChannel;
}

describe('FakeDiscord login', () => {
  it('lets discord.js identify, cache the guild and emit ready', async () => {
    const { fake, client } = await start();

    const guild = client.guilds.cache.get(fake.guildId);
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(fake.defaultChannelId)?.type).toBe(ChannelType.GuildText);
    expect(guild?.members.me?.id).toBe(fake.botUserId);
    expect(guild?.roles.everyone.id).toBe(fake.guildId);

    expect(fake.identifyCount).toBe(1);
    expect(fake.intents).toBe(client.options.intents.bitfield);
    expect(fake.identifies[0]).toMatchObject({ token: TOKEN, compress: false, shard: [0, 1] });
    expect(fake.gatewayConnections[0]).toMatchObject({ path: '/gateway', query: { v: '10', encoding: 'json' } });
    const gatewayBot = fake.requestsTo('GET', /^\/gateway\/bot$/);
    expect(gatewayBot).toHaveLength(1);
    expect(gatewayBot[0]?.headers.authorization).toBe(`Bot ${TOKEN}`);
  });

  it('acknowledges heartbeats so discord.js measures a ping', async () => {
    const { fake, client } = await start({ heartbeatIntervalMs: 50 });
    await expect.poll(() => fake.heartbeatCount, { timeout: 2000 }).toBeGreaterThanOrEqual(2);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });
});

describe('FakeDiscord interactions', () => {
  it('records deferReply + editReply as callback type 5 and a PATCH of @original', async () => {
    const { fake, client } = await start();
    const handled = handleNextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
      await interaction.deferReply();
      const question = interaction.options.getString('question', true);
      return interaction.editReply({ content: `answer to ${question}`, allowedMentions: { parse: [] } });
    });

    const sent = fake.sendSlashCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: 'why?' }] });
    const edited = await handled;

    const callback = await fake.waitForRequest('POST', CALLBACK);
    expect(callback.path).toBe(`/interactions/${sent.id}/${sent.token}/callback`);
    expect(callback.query).toEqual({ with_response: 'false' });
    expect(callback.body).toEqual({ type: 5, data: { flags: 0 } });
    expect(callback.headers.authorization).toBeUndefined();
    const patch = await fake.waitForRequest('PATCH', ORIGINAL);
    expect(patch.path).toBe(`/webhooks/${fake.applicationId}/${sent.token}/messages/@original`);
    expect(patch.body).toMatchObject({ content: 'answer to why?', allowed_mentions: { parse: [] } });
    expect(edited.content).toBe('answer to why?');
    expect(edited.flags.has(MessageFlags.Loading)).toBe(false);
  });

  it('returns an interaction callback response when withResponse is set, and supports followUp', async () => {
    const { fake, client } = await start();
    const handled = handleNextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
      const response = await interaction.reply({ content: 'first', withResponse: true });
      const followUp = await interaction.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
      return { response, followUp };
    });

    fake.sendSlashCommand({ name: 'ask' });
    const { response, followUp } = await handled;

    const callback = await fake.waitForRequest('POST', CALLBACK);
    expect(callback.query).toEqual({ with_response: 'true' });
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'first' } });
    expect(response.resource?.message?.content).toBe('first');
    const webhook = await fake.waitForRequest('POST', /^\/webhooks\/\d+\/[^/]+$/);
    expect(webhook.query).toMatchObject({ wait: 'true' });
    expect(followUp.content).toBe('second');
    expect(followUp.flags.has(MessageFlags.Ephemeral)).toBe(true);
  });

  it('answers autocomplete with callback type 8 and the choices', async () => {
    const { fake, client } = await start();
    const handled = handleNextInteraction(client, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      const focused = interaction.options.getFocused();
      await interaction.respond([{ name: `doc: ${focused}`, value: 'doc-1' }]);
      return focused;
    });

    fake.sendAutocomplete({ name: 'ask', options: [{ name: 'source', type: 3, value: 'man', focused: true }] });
    expect(await handled).toBe('man');

    const callback = await fake.waitForRequest('POST', CALLBACK);
    expect(callback.body).toEqual({ type: 8, data: { choices: [{ name: 'doc: man', value: 'doc-1' }] } });
  });

  it('lets a button update its message, and another button reply ephemerally', async () => {
    const { fake, client } = await start();
    const updated = handleNextInteraction(client, async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.update({ content: `clicked ${interaction.customId}`, components: [] });
      return interaction.message.id;
    });
    const click = fake.sendButton({ customId: 'more:1' });
    const messageId = await updated;

    expect(click.payload.message.id).toBe(messageId);
    const update = await fake.waitForRequest('POST', CALLBACK);
    expect(update.body).toMatchObject({ type: 7, data: { content: 'clicked more:1', components: [] } });
    expect(fake.messagesIn(fake.defaultChannelId).find((m) => m.id === messageId)?.content).toBe('clicked more:1');

    const replied = handleNextInteraction(client, async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.deferUpdate();
      return interaction.followUp({ content: 'only you', flags: MessageFlags.Ephemeral });
    });
    fake.sendButton({ customId: 'more:2', messageId });
    await replied;
    const deferUpdate = await fake.waitForRequest('POST', CALLBACK);
    expect(deferUpdate.body).toEqual({ type: 6 });
  });

  it('rejects a second acknowledgement and a late first response like Discord', async () => {
    const { fake, client } = await start({ interactionResponseTimeoutMs: 100 });
    const first = fake.sendSlashCommand({ name: 'ask' });
    const route = Routes.interactionCallback(first.id, first.token);
    await client.rest.post(route, { body: { type: 5 }, auth: false });
    await expect(client.rest.post(route, { body: { type: 5 }, auth: false })).rejects.toMatchObject({ code: 40060 });

    const late = fake.sendSlashCommand({ name: 'ask' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const lateRoute = Routes.interactionCallback(late.id, late.token);
    await expect(client.rest.post(lateRoute, { body: { type: 5 }, auth: false })).rejects.toMatchObject({ code: 10062 });
  });
});

describe('FakeDiscord messages and threads', () => {
  it('delivers MESSAGE_CREATE with content and bot mention', async () => {
    const { fake, client } = await start();
    const received = once(client, Events.MessageCreate) as Promise<[Message]>;
    const sent = fake.sendMessage({ content: 'what is a quote?', mentionsBot: true });
    const [message] = await received;

    expect(message.id).toBe(sent.id);
    expect(message.content).toBe(`<@${fake.botUserId}> what is a quote?`);
    expect(message.mentions.has(client.user!)).toBe(true);
    expect(message.author.id).toBe(fake.defaultUserId);
    expect(message.guildId).toBe(fake.guildId);
    expect(message.member?.id).toBe(fake.defaultUserId);
  });

  it('blanks content without the MessageContent intent unless the bot is mentioned', async () => {
    const { fake, client } = await start({}, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    const received = once(client, Events.MessageCreate) as Promise<[Message]>;
    fake.sendMessage({ content: 'secret' });
    const [message] = await received;
    expect(message.content).toBe('');
  });

  it('delivers a reply with its reference and the replied-to message, a ping counting as a mention', async () => {
    const { fake, client } = await start({}, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    const fromUser = () =>
      new Promise<Message>((resolve) => {
        const listener = (message: Message) => {
          if (message.author.id === fake.botUserId) return; // the echo of the bot's own message
          client.off(Events.MessageCreate, listener);
          resolve(message);
        };
        client.on(Events.MessageCreate, listener);
      });
    const posted = await defaultChannel(client, fake).send('an answer');
    const pinging = fromUser();
    fake.sendMessage({ content: 'and exports?', replyTo: posted.id });
    const reply = await pinging;
    expect(reply.reference?.messageId).toBe(posted.id);
    expect(reply.mentions.repliedUser?.id).toBe(fake.botUserId);
    expect(reply.mentions.users.has(fake.botUserId)).toBe(true);
    expect(reply.content).toBe('and exports?');
    expect((await reply.fetchReference()).content).toBe('an answer');

    const silent = fromUser();
    fake.sendMessage({ content: 'and imports?', replyTo: posted.id, pingReplied: false });
    const quiet = await silent;
    expect(quiet.mentions.repliedUser?.id).toBe(fake.botUserId);
    expect(quiet.mentions.users.has(fake.botUserId)).toBe(false);
    // Without the Message Content intent, a reply that does not ping is blanked like any other message.
    expect(quiet.content).toBe('');
    expect(() => fake.sendMessage({ content: 'x', replyTo: '1234' })).toThrow(/no message 1234/);
  });

  it('delivers a user’s edit as MESSAGE_UPDATE and a deletion as MESSAGE_DELETE, for messages out of the cache too', async () => {
    const { fake, client } = await start({}, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent], [Partials.Message]);
    const created = once(client, Events.MessageCreate) as Promise<[Message]>;
    const sent = fake.sendMessage({ content: 'first wording' });
    await created;
    const updated = once(client, Events.MessageUpdate) as Promise<[Message, Message]>;
    fake.editMessage(sent.id, 'second wording');
    const [before, after] = await updated;
    expect(before.content).toBe('first wording');
    expect(after.content).toBe('second wording');
    expect(after.editedTimestamp).not.toBeNull();
    expect(fake.messagesIn(fake.defaultChannelId).find((m) => m.id === sent.id)?.content).toBe('second wording');

    defaultChannel(client, fake).messages.cache.delete(sent.id);
    const uncached = once(client, Events.MessageUpdate) as Promise<[Message, Message]>;
    fake.editMessage(sent.id, 'third wording');
    expect((await uncached)[1].content).toBe('third wording');

    const deleted = once(client, Events.MessageDelete) as Promise<[Message]>;
    fake.deleteMessage(sent.id);
    expect((await deleted)[0].id).toBe(sent.id);
    expect(fake.messagesIn(fake.defaultChannelId).map((m) => m.id)).not.toContain(sent.id);
    expect(() => fake.editMessage(sent.id, 'gone')).toThrow(/no user message/);
  });

  it('lets the bot rename a thread it started, and no other channel', async () => {
    const { fake, client } = await start();
    const received = once(client, Events.MessageCreate) as Promise<[Message]>;
    fake.sendMessage({ content: 'a question', mentionsBot: true });
    const [message] = await received;
    const thread = await message.startThread({ name: 'Old name' });
    await thread.setName('New name');
    expect(thread.name).toBe('New name');
    expect(fake.channel(thread.id)?.name).toBe('New name');
    await expect(defaultChannel(client, fake).setName('renamed')).rejects.toMatchObject({ code: 50013 });
  });

  it('starts a thread from a message and posts into it', async () => {
    const { fake, client } = await start();
    const received = once(client, Events.MessageCreate) as Promise<[Message]>;
    fake.sendMessage({ content: 'please answer in a thread', mentionsBot: true });
    const [message] = await received;

    const thread = await message.startThread({ name: 'Answer' });
    const posted = await thread.send('here is the answer');

    expect(thread.id).toBe(message.id);
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(fake.defaultChannelId);
    expect(posted.channelId).toBe(thread.id);
    const create = fake.requestsTo('POST', /^\/channels\/\d+\/messages\/\d+\/threads$/);
    expect(create[0]?.path).toBe(`/channels/${fake.defaultChannelId}/messages/${message.id}/threads`);
    expect(create[0]?.body).toMatchObject({ name: 'Answer', type: ChannelType.PublicThread });
    expect(fake.messagesIn(thread.id).map((m) => m.content)).toEqual(['here is the answer']);
    expect(fake.channel(thread.id)).toMatchObject({ type: 11, parent_id: fake.defaultChannelId });
  });

  it('parses multipart uploads and rejects content over 2000 characters', async () => {
    const { fake, client } = await start();
    const channel = defaultChannel(client, fake);
    const sent = await channel.send({ content: 'file', files: [{ attachment: Buffer.from('hello'), name: 'notes.txt' }] });
    const request = await fake.waitForRequest('POST', CHANNEL_MESSAGES);

    // discord.js puts only the attachment index in payload_json; the filename travels in the file part.
    expect(request.body).toMatchObject({ content: 'file', attachments: [{ id: '0' }] });
    expect(request.files).toEqual([expect.objectContaining({ name: 'notes.txt', size: 5 })]);
    expect(sent.attachments.first()?.name).toBe('notes.txt');
    await expect(channel.send('x'.repeat(2001))).rejects.toMatchObject({ code: 50035, status: 400 });
  });
});

describe('FakeDiscord fault injection', () => {
  it('rateLimitNext makes discord.js wait out retry-after and retry', async () => {
    const { fake, client } = await start();
    fake.rateLimitNext('POST', CHANNEL_MESSAGES, 0.3);
    const began = Date.now();
    const message = await defaultChannel(client, fake).send('after the limit');

    expect(Date.now() - began).toBeGreaterThanOrEqual(300);
    expect(message.content).toBe('after the limit');
    expect(fake.requestsTo('POST', CHANNEL_MESSAGES).map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries a single 500 and surfaces HTTPError once retries are used up', async () => {
    const { fake, client } = await start();
    const channel = defaultChannel(client, fake);
    fake.failNext('POST', CHANNEL_MESSAGES, { status: 500 });
    await expect(channel.send('retried')).resolves.toMatchObject({ content: 'retried' });
    expect(fake.requestsTo('POST', CHANNEL_MESSAGES).map((r) => r.status)).toEqual([500, 200]);

    fake.failNext('POST', CHANNEL_MESSAGES, { status: 500 }, 2);
    const error = await channel.send('fails').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).status).toBe(500);
    expect(fake.requestsTo('POST', CHANNEL_MESSAGES)).toHaveLength(4);
  });

  it('surfaces a 4xx as DiscordAPIError without retrying', async () => {
    const { fake, client } = await start();
    fake.failNext('POST', CHANNEL_MESSAGES, { status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    const error = await defaultChannel(client, fake).send('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50013);
    expect(fake.requestsTo('POST', CHANNEL_MESSAGES)).toHaveLength(1);
  });

  it('records unknown routes as Discord-style 404s', async () => {
    const { fake, client } = await start();
    await expect(client.rest.get('/nonexistent/thing')).rejects.toMatchObject({ status: 404, code: 0 });
    expect(fake.requestsTo('GET', /^\/nonexistent\/thing$/)[0]?.status).toBe(404);
  });

  it('closeGateway(4000) leads to a RESUME on resume_gateway_url and events keep flowing', async () => {
    const { fake, client } = await start();
    const resumed = once(client, Events.ShardResume);
    fake.closeGateway(4000);
    await resumed;
    await fake.waitForReady();

    expect(fake.resumeCount).toBe(1);
    expect(fake.identifyCount).toBe(1);
    expect(fake.gatewayConnections.at(-1)?.path).toBe('/gateway/resume');
    const received = once(client, Events.MessageCreate) as Promise<[Message]>;
    fake.sendMessage({ content: 'still here' });
    const [message] = await received;
    expect(message.content).toBe('still here');
  });
});

describe('FakeDiscord commands', () => {
  it('stores registered commands and uses their ids for interactions', async () => {
    const { fake, client } = await start();
    const ask = {
      name: 'ask',
      description: 'Ask the collection',
      options: [{ name: 'question', description: 'q', type: 3 }],
    };
    const registered = await client.application!.commands.set([ask], fake.guildId);
    const commandId = registered.first()?.id;
    expect(fake.registeredCommands(fake.guildId)).toEqual([expect.objectContaining({ id: commandId, name: 'ask' })]);
    expect(fake.requestsTo('PUT', /^\/applications\/\d+\/guilds\/\d+\/commands$/)).toHaveLength(1);

    const handled = handleNextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
      await interaction.reply({ content: 'ok' });
      return interaction.commandId;
    });
    fake.sendSlashCommand({ name: 'ask' });
    expect(await handled).toBe(commandId);
    await expect(client.application!.commands.set([{ name: 'Bad Name', description: 'x' }])).rejects.toMatchObject({
      code: 50035,
    });
  });
});
