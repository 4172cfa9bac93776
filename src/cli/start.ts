import { loadConfigFromEnvironment } from '../config/loadEnv.js';
import { startEmbedding } from '../embed/startEmbedding.js';
import { runCli } from './runCli.js';

/**
 * `npm start` (serve.ts). The model starts loading in its worker first; the rest of the bot (engine,
 * Discord edge) is imported meanwhile: both take a few tenths of a second at start, side by side on two
 * cores instead of one after the other (README "Performance", Start-up).
 */
await runCli(async () => {
  const config = loadConfigFromEnvironment();
  const loading = startEmbedding(config, { log: (line) => console.error(line) });
  loading.catch(() => {}); // a model that cannot load is reported where the engine awaits it
  const { serve } = await import('./serve.js');
  await serve(config, loading);
});
