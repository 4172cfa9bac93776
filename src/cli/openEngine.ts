import type { Config } from '../config/config.js';
import { createEngine, type Engine, type EngineOptions } from '../engine.js';
import { isUserError } from '../errors.js';
import type { IndexReport } from '../index/updateIndex.js';
import { progressBar } from './progress.js';

/** Creates the engine and makes sure it has an index: the stored one, or a fresh build when it is missing, damaged or outdated. */
export async function openEngine(config: Config, options: EngineOptions & { update?: boolean } = {}): Promise<Engine> {
  const log = options.log ?? ((line: string) => console.error(line));
  const engine = await createEngine(config, { ...options, log });
  // With a model still loading (options.loading), the index is read and checked meanwhile.
  await Promise.all([engine.modelReady, options.update ? update(engine, log) : loadOrBuild(engine, log)]);
  return engine;
}

async function update(engine: Engine, log: (line: string) => void): Promise<void> {
  printReport(await reindexWithProgress(engine), log);
}

async function loadOrBuild(engine: Engine, log: (line: string) => void): Promise<void> {
  try {
    await engine.load();
  } catch (error) {
    if (!isUserError(error) || !error.code.startsWith('INDEX_')) throw error;
    log(`${error.message.split('\n')[0]} Building it now…`);
    await update(engine, log);
  }
}

export async function reindexWithProgress(engine: Engine): Promise<IndexReport> {
  const bar = progressBar('Embedding passages');
  try {
    return await engine.reindex((done, total) => bar.update(done, total));
  } finally {
    bar.finish();
  }
}

export function printReport(report: IndexReport, log: (line: string) => void): void {
  for (const warning of report.warnings) log(`warning: ${warning.text}`);
  if (report.rebuildReason) log(`Rebuilt the whole index: ${report.rebuildReason.text}.`);
  log(
    `Index ${report.written ? 'updated' : 'already up to date'}: ${report.added} added, ${report.changed} changed, ${report.removed} removed, ` +
      `${report.unchanged} unchanged, ${report.skipped} skipped; ${report.chunks} passages (${report.embedded} embedded) in ${report.seconds.toFixed(1)} s.`,
  );
}
