import type { Config } from '../config/config.js';
import { createLogger, redactSecrets } from '../bot/log.js';
import type { Embedder } from '../embed/embedder.js';
import { describeError, isUserError } from '../errors.js';
import { prepareReplyLanguages } from '../reply/language.js';
import { ensureEnglishChinese } from '../translate/dictionaryCache.js';
import { runTerminalChat } from './chat.js';
import { followDocuments } from './followDocuments.js';
import { openEngine } from './openEngine.js';

/**
 * What `npm start` runs once the model is loading (start.ts): builds or updates the index, then logs the
 * bot in; with no DISCORD_TOKEN, a terminal chat over the same engine and replies instead. Stops cleanly
 * on SIGINT or SIGTERM.
 */
export async function serve(config: Config, loading: Promise<Embedder>): Promise<void> {
  // discord.js takes about 0.23 s to import: only for the bot, and while the index is checked; the
  // terminal chat never loads it.
  const discordEdge = config.discord.token ? import('../bot/startBot.js') : null;
  discordEdge?.catch(() => {}); // a failed import is reported where it is awaited
  const engine = await openEngine(config, { update: true, loading });
  // Built now if missing (once, a few seconds, mostly synchronous), not on the first English question
  // while the bot is online. Without it only English questions suffer, so a failure does not stop the start.
  await ensureEnglishChinese(config.modelsDir, (line) => console.error(line)).catch((error: unknown) =>
    console.error(`warning: the English→Chinese dictionary could not be built now (${describeError(error).split('\n')[0]}); English questions will try again.`),
  );
  prepareReplyLanguages(config.replyLanguage);
  // Until the bot has its logger, the console: the terminal chat's (standard error) or the bot's start-up.
  let report = (line: string) => console.error(line);
  const following = config.watchDocuments ? followDocuments(engine, (line) => report(line)) : null;
  try {
    const token = config.discord.token;
    if (!token) {
      console.error('DISCORD_TOKEN is not set, so this is a terminal chat with the same answers the bot gives (README: "Discord" to run the bot).');
      const stopping = new AbortController();
      // On a terminal readline turns Ctrl+C into its own event; with piped input it arrives as a signal.
      const onSignal = () => stopping.abort();
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      try {
        const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
        await runTerminalChat({ engine, input: process.stdin, output: process.stdout, color: tty, prompt: tty, unansweredLog: config.unansweredLog, replyLanguage: config.replyLanguage, signal: stopping.signal });
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
      return;
    }
    const log = createLogger({ level: config.logLevel, secrets: [token] });
    report = (line) => log.info(line);
    const { startBot } = await (discordEdge ?? import('../bot/startBot.js'));
    const bot = await startBot({ config, engine, log }).catch((error: unknown) => {
      // Errors from the network layer are re-made from their redacted message, so no token can reach the console.
      throw isUserError(error) ? error : new Error(redactSecrets(describeError(error), [token]));
    });
    const signal = await untilSignal();
    log.info(`${signal} received: logging out.`);
    await bot.stop();
  } finally {
    await following?.close();
    await engine.dispose();
  }
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
