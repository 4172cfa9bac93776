// Only this import is static: the embedding worker starts before anything else is loaded (below).
import { prestartEmbedWorker } from '../embed/workerEmbedder.js';

/**
 * `npm start` (serve.ts). The embedding worker boots first and imports its runtime while the settings are
 * read and validated; with them it loads the model, while the rest of the bot (engine, Discord edge) is
 * imported: side by side on two cores instead of one after the other (README "Performance", Start-up).
 */
prestartEmbedWorker();
const START_USAGE = [
  'Usage: npm start',
  '  Runs the Discord bot (DISCORD_TOKEN in .env), or without a token a terminal chat with the same answers.',
  '  It builds or updates the index first. Settings: .env.example.',
].join('\n');
const { runCli } = await import('./runCli.js');
const { loadConfigFromEnvironment } = await import('../config/loadEnv.js');
const { startEmbedding } = await import('../embed/startEmbedding.js');
const { readCommandLine } = await import('./commandLine.js');
await runCli(async () => {
  if (!readCommandLine(START_USAGE, {})) return;
  const config = loadConfigFromEnvironment();
  const loading = startEmbedding(config, { log: (line) => console.error(line) });
  loading.catch(() => {}); // a model that cannot load is reported where the engine awaits it
  const { serve } = await import('./serve.js');
  await serve(config, loading);
});
