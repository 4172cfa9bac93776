import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { followDocuments } from '../../src/cli/followDocuments.js';
import { followEngineTopics } from '../../src/topics/currentTopics.js';
import { foldTopic } from '../../src/topics/fold.js';
import { countingEmbedder } from '../helpers/countingEmbedder.js';
import { BASE_FILES, DELTA } from '../helpers/corpus.js';
import { engineWith } from '../helpers/engines.js';
import { makeWorkspace, removeTempDirs, writeFiles } from '../helpers/tempDirs.js';
import { until } from '../helpers/waiting.js';

afterAll(removeTempDirs);

describe('followDocuments (WATCH_DOCUMENTS)', () => {
  it('indexes a document saved while the bot runs, answers from it, and offers its title as a topic', async () => {
    const { docsDir, indexDir } = await makeWorkspace('quotebot-follow-');
    await writeFiles(docsDir, BASE_FILES);
    const engine = await engineWith(docsDir, indexDir, countingEmbedder());
    await engine.reindex();
    const topics = followEngineTopics(engine, () => {});
    const title = '伏尔加河合作会议纪要';
    expect(topics.current().byKey.has(foldTopic(title))).toBe(false);
    const logged: string[] = [];
    const following = followDocuments(engine, (line) => logged.push(line), { quietMs: 100 });
    try {
      await following.ready;
      await writeFiles(docsDir, { 'minutes.md': `---\ntitle: ${title}\n---\n\n${DELTA.content}` });
      await until('the new document in the index', () => engine.documents().some((d) => d.source === 'minutes.md'));
      expect((await engine.ask(DELTA.paragraphs[0])).results[0]?.source).toBe('minutes.md');
      await until('its title among the topics', () => topics.current().byKey.has(foldTopic(title)));
      expect(logged.some((line) => /^Index updated: 1 added, 0 changed, 0 removed/.test(line))).toBe(true);

      // Removed again: out of the index and out of the topics.
      await fs.rm(path.join(docsDir, 'minutes.md'));
      await until('the document gone', () => !engine.documents().some((d) => d.source === 'minutes.md'));
      await until('its topic gone', () => !topics.current().byKey.has(foldTopic(title)));
    } finally {
      await following.close();
      topics.unfollow();
      await engine.dispose();
    }
  });
});
