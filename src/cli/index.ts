import { loadConfigFromEnvironment } from '../config/loadEnv.js';
import { openEngine } from './openEngine.js';
import { runCli } from './runCli.js';

/** `npm run index`: builds or incrementally updates the index from the documents folder. */
await runCli(async () => {
  const engine = await openEngine(loadConfigFromEnvironment(), { update: true });
  await engine.dispose();
});
