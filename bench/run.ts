/**
 * `npm run bench [-- --quick] [-- --json] [-- --save FILE | --from FILE] [-- --profile-update FILE]`: every performance figure of the bot in one run on one
 * machine, as ratios against the bare model where a ratio fits. See bench/README.md for what each
 * figure means and how it is measured. Nothing is downloaded; scratch files go to a temp folder.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { readCommandLine } from '../src/cli/commandLine.js';
import { isUserError } from '../src/errors.js';
import { SERVING_NODE_FLAGS } from '../src/cli/nodeFlags.js';
import { loadConfig } from '../src/config/config.js';
import { graphOf } from '../src/embed/modelGraph.js';
import { EMBEDDING_RUNTIME } from '../src/embed/runtime.js';
import { createWorkerEmbedder } from '../src/embed/workerEmbedder.js';
import { splitSentences } from '../src/ingest/sentences.js';
import { DEFAULT_HNSW } from '../src/index/vectorIndex.js';
import { ensureEnglishChinese } from '../src/translate/dictionaryCache.js';
import { loadMaterial, syntheticDocument } from './lib/corpus.js';
import { makeTmp, MODELS_DIR, readQuestions, removeTmp, ROOT, SPEC, type BenchContext } from './lib/context.js';
import { formatReport, INCREMENTAL_TARGET_DOCUMENTS, judge, type BenchResults } from './lib/report.js';
import { bareRuntime } from './lib/runtimes.js';
import { indexDefaultCorpus, measureAnswers } from './sections/answer.js';
import { measureIncremental, measureIndexing } from './sections/indexing.js';
import { modelFigures } from './sections/model.js';
import { measureScale, sweepHnsw } from './sections/scale.js';
import { measureBotMemory, measureColdStart } from './sections/startup.js';

const BENCH_USAGE = [
  'Usage: npm run bench [-- --quick] [--json] [--save FILE | --from FILE] [--profile-update FILE]',
  '  Measures the bot against the bare model on this machine (bench/README.md). --quick: a smaller run, under a minute.',
].join('\n');
const commandLine = readBenchCommandLine();
if (!commandLine) process.exit(0);
const { values } = commandLine;

/** The bench is not run through runCli (it ends with process.exit), so a mistyped option is reported here. */
function readBenchCommandLine() {
  try {
    return readCommandLine(BENCH_USAGE, {
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        /** Also write the JSON object to this file. */
        save: { type: 'string' },
        /** Print the tables of a run saved with --save, without measuring. */
        from: { type: 'string' },
        /** Write a V8 CPU profile (.cpuprofile) of this process during the one-document update. */
        'profile-update': { type: 'string' },
      },
    });
  } catch (error) {
    if (!isUserError(error)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
if (values.from) {
  const saved = JSON.parse(await readFile(values.from, 'utf8')) as BenchResults;
  saved.targets = judge(saved);
  process.stdout.write(values.json ? `${JSON.stringify(saved)}\n` : formatReport(saved));
  process.exit(0);
}
const quick = values.quick;
const started = performance.now();
const log = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

const tmp = await makeTmp();
try {
  // `npm start` builds the English→Chinese dictionary's cache before the bot answers (serve.ts); so does
  // the bench, or on a fresh clone the first English question of the answer section would build it (run 67:
  // a 1.9 s event-loop stall in the first pass).
  await ensureEnglishChinese(MODELS_DIR, log);
  const material = await loadMaterial(path.join(ROOT, 'seeds'));
  const questions = readQuestions('eval/dev.jsonl', 'eval/heldout.jsonl');
  const batchSize = loadConfig({}, ROOT).embedBatchSize;
  const context: BenchContext = {
    quick,
    tmp,
    material,
    questions: quick ? questions.slice(0, 80) : questions,
    batchSize,
    log,
    profileUpdate: values['profile-update'] && path.resolve(values['profile-update']),
  };
  const loadStart = loadavg()[0];
  log(`${quick ? 'quick' : 'full'} run, ${cpus().length} cores, load average ${loadStart.toFixed(2)}`);
  const nodeFlags = SERVING_NODE_FLAGS.filter((flag) => process.execArgv.includes(flag));
  // The indexing figures are measured in this process: without the bot's flags they are not the bot's.
  if (nodeFlags.length < SERVING_NODE_FLAGS.length) log(`warning: not run with the bot's Node flags (${SERVING_NODE_FLAGS.join(' ')}); use npm run bench`);

  // Sentences of synthetic documents the indexer never sees: what batch sizes are measured on.
  const sample: string[] = [];
  for (let i = 0; sample.length < (quick ? 256 : 768); i++) {
    const text = syntheticDocument(material, 900_000 + i);
    for (const paragraph of text.split('\n\n').slice(1)) for (const span of splitSentences(paragraph, 400)) sample.push(paragraph.slice(span.start, span.end));
  }

  const batchSizes = quick ? [8, 16, 32] : [1, 4, 8, 16, 32, 64];
  const pool = await createWorkerEmbedder(SPEC, { modelsDir: MODELS_DIR, allowRemoteModels: false, batchSize });
  const seeds = await indexDefaultCorpus(context, pool); // not disposed: it would dispose the shared pool
  const { answer, burst, bareRuns } = await measureAnswers(context, seeds, batchSizes, sample);
  const model = modelFigures(bareRuns);
  log(`model: query p50 ${model.queryP50Ms.toFixed(2)} ms; sentences/s by batch ${model.batches.map((b) => `${b.size}:${b.textsPerSecond.toFixed(0)}`).join(' ')}`);
  const memory = await measureBotMemory(context, seeds.indexDir);
  const coldStart = await measureColdStart(context, seeds.indexDir);

  const documents = quick ? 24 : INCREMENTAL_TARGET_DOCUMENTS; // about 11 chunks each: 1,000 documents ≈ 11,000 chunks
  // Three (build, bare) pairs in the full run: one build and its yardstick minutes later differ by up to 15 % on this machine.
  const indexing = await measureIndexing(context, pool, documents, quick ? 1 : 3);
  const incremental = await measureIncremental(context, {
    engine: indexing.engine,
    docsDir: indexing.docsDir,
    documents,
    fullSeconds: indexing.figures.buildSeconds,
  });

  const chunksPerDocument = indexing.figures.chunks / documents;
  // --quick stops at 5k chunks: its 10k point (a 36k-vector graph, 22 s) kept the run over a minute.
  const scale = await measureScale(context, quick ? [1_000, 5_000] : [1_000, 10_000, 100_000], chunksPerDocument, indexing.realVectors, pool);

  let sweep = null;
  if (!quick) {
    const queryVectors = [];
    for (const question of context.questions.slice(0, 100)) queryVectors.push(await pool.embedQuery(question));
    sweep = await sweepHnsw(context, [...indexing.realVectors.values()], queryVectors);
  }
  await pool.dispose();

  const first = scale[0];
  const last = scale[scale.length - 1];
  const results: BenchResults = {
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1073741824),
      node: process.version,
      loadAverageStart: loadStart,
      loadAverageEnd: loadavg()[0],
      mode: quick ? 'quick' : 'full',
      seconds: (performance.now() - started) / 1000,
      nodeFlags,
    },
    settings: { model: SPEC.id, runtimes: { bot: EMBEDDING_RUNTIME, bare: bareRuntime() }, graph: graphOf(SPEC), batchSize, workers: pool.workers, hnsw: DEFAULT_HNSW },
    model,
    answer,
    burst,
    coldStart,
    indexing: indexing.figures,
    incremental,
    scale,
    memory: {
      botRssMb: memory.botRssMb,
      engineRssMb: memory.engineRssMb,
      perTenThousandChunksMb: ((last.rssMb - first.rssMb) / (last.chunks - first.chunks)) * 10_000,
    },
    sweep,
    targets: [],
  };
  results.targets = judge(results);
  if (values.save) await writeFile(values.save, `${JSON.stringify(results, null, 2)}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
  else process.stdout.write(formatReport(results));
} finally {
  await removeTmp(tmp);
}
// Embedding worker threads stay parked rather than ended (see src/embed/workerEmbedder.ts).
process.exit(0);
