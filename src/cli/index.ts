import { loadConfigFromEnvironment } from '../config/loadEnv.js';
import { openEngine } from './openEngine.js';
import { readCommandLine } from './commandLine.js';
import { runCli } from './runCli.js';

/** `npm run index`: builds or incrementally updates the index from the documents folder. */
await runCli(async () => {
  if (!readCommandLine('Usage: npm run index\n  Builds the index of the documents folder (DOCS_DIR), or updates it for the documents that changed.', {})) return;
  const engine = await openEngine(loadConfigFromEnvironment(), { update: true });
  await engine.dispose();
});
