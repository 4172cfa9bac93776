import { loadConfigFromEnvironment } from '../config/loadEnv.js';
import { findModel } from '../embed/models.js';
import { prepareModelGraph } from '../embed/modelGraph.js';
import { ensureModelFiles } from '../embed/provision.js';
import { readCommandLine } from './commandLine.js';
import { runCli } from './runCli.js';

/** `npm run setup:model`: fetches and checks the configured embedding model without indexing anything. */
await runCli(async () => {
  if (!readCommandLine('Usage: npm run setup:model\n  Fetches and checks the configured embedding model (EMBED_MODEL) without indexing anything.', {})) return;
  const config = loadConfigFromEnvironment();
  const spec = findModel(config.embedModel);
  if (spec.source.kind === 'hub') {
    console.error(`${spec.id} is fetched from the Hugging Face hub by Transformers.js the first time it is used (ALLOW_REMOTE_MODELS=true).`);
    return;
  }
  await ensureModelFiles(spec, config.modelsDir, (line) => console.error(line));
  await prepareModelGraph(spec, config.modelsDir);
  console.error(`${spec.id}: present and verified in ${config.modelsDir}.`);
});
