import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { EMBEDDING_RUNTIME, requireFromTransformers } from '../../src/embed/runtime.js';
import { INDEX_FORMAT_VERSION, manifestMismatch, type Manifest } from '../../src/index/manifest.js';
import { indexSettings } from '../../src/engine.js';
import { findModel } from '../../src/embed/models.js';

const require = createRequire(import.meta.url);

describe('the embedding runtime', () => {
  it('names the onnxruntime-node the embedder imports, so an upgrade cannot mix vectors silently', () => {
    const installed = JSON.parse(readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')) as { version: string };
    expect(EMBEDDING_RUNTIME).toBe(`onnxruntime-node ${installed.version}`);
  });

  it('is not the runtime Transformers.js pins (which the bench keeps as its yardstick)', () => {
    const pinned = JSON.parse(readFileSync(requireFromTransformers().resolve('onnxruntime-node/package.json'), 'utf8')) as { version: string };
    expect(pinned.version).toBe('1.14.0');
    expect(EMBEDDING_RUNTIME).not.toContain(pinned.version);
  });

  it('makes an index whose vectors another runtime computed unusable, so it is rebuilt', () => {
    const settings = indexSettings(findModel('BAAI/bge-small-zh-v1.5'));
    const { runtime: _current, ...olderModel } = settings.model;
    const manifest = { formatVersion: INDEX_FORMAT_VERSION, model: olderModel, tokenizer: '', chunkerId: '', chunker: settings.chunker } as unknown as Manifest;
    expect(manifestMismatch(manifest, settings)).toBe('vectors computed by onnxruntime-node 1.14');
    expect(manifestMismatch({ ...manifest, model: settings.model }, settings)).not.toMatch(/vectors computed/);
  });
});
