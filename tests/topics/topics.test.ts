import { describe, expect, it } from 'vitest';
import { buildTopicIndex, buildTopicIndexGradually, fingerprintOf, type TopicDocument } from '../../src/topics/buildTopics.js';
import { createCurrentTopics } from '../../src/topics/currentTopics.js';
import { foldTopic } from '../../src/topics/fold.js';
import { wholeName } from '../../src/topics/keyTerms.js';
import { findTopic, MAX_SUGGESTIONS, suggestTopics } from '../../src/topics/suggest.js';

const doc = (source: string, title: string, text: string, extra: Partial<TopicDocument> = {}): TopicDocument => ({
  source,
  title,
  text,
  categories: [],
  tags: [],
  hash: `h-${source}`,
  ...extra,
});

const railway =
  '南昌向塘国际陆港开行中欧班列。中欧班列把江西制造的货物运往欧洲，班列货值不断提升。跨境电商出口专列也从向塘国际陆港驶出，班列数量同比增长。';
const expo = '第六届进博会在上海举行。江西交易团参加进博会，意向成交额高于上届。进博会为江西企业带来合作机遇，江西交易团注册单位创新高。';
const diplomacy = '王毅就中美关系回答记者提问。中美关系关乎两国人民福祉。王毅表示，中美双方应当相互尊重、和平共处。班列、班列、班列在此仅为提及。';

const documents = [
  doc('a.md', '南昌中欧班列开行情况', railway, { categories: ['nanchangribao'], tags: ['南昌日报新闻'] }),
  doc('b.txt', '融入开放市场 共享发展机遇', expo),
  doc('c.txt', '王毅就中美关系答记者问', diplomacy),
];

describe('buildTopicIndex', () => {
  const index = buildTopicIndex(documents);

  it('takes titles, front-matter categories and tags as topics of their document', () => {
    expect(index.byKey.get(foldTopic('南昌中欧班列开行情况'))).toMatchObject({ kinds: ['title'], sources: ['a.md'] });
    expect(index.byKey.get('nanchangribao')).toMatchObject({ kinds: ['category'], sources: ['a.md'] });
    expect(index.byKey.get('南昌日报新闻')).toMatchObject({ kinds: ['tag'], sources: ['a.md'] });
  });

  it('extracts key terms per document by TF-IDF and links other documents that use them often', () => {
    const train = index.byKey.get('班列');
    expect(train?.kinds).toContain('term');
    // c.txt says 班列 three times (minMentions), so it belongs to the topic too, after a.md which says it more.
    expect(train?.sources).toEqual(['a.md', 'c.txt']);
    // b.txt says 江西 three times, a.md once: b.txt comes first.
    expect(index.byKey.get('江西')?.sources[0]).toBe('b.txt');
    // A name jieba's dictionary lacks is still found (HMM).
    expect(index.byKey.get('王毅')?.sources).toEqual(['c.txt']);
  });

  it('takes a name jieba cuts in pieces whole (进博会, not 博会), and links the documents that mention it', () => {
    // jieba's dictionary lacks 进博会: it cuts 进 + 博会, and 博会 alone was the topic.
    expect(index.byKey.has('博会')).toBe(false);
    expect(index.byKey.get('进博会')?.sources[0]).toBe('b.txt');
    const linked = buildTopicIndex([...documents, doc('d.txt', '进博会再聚首', '进博会展示新品。企业在进博会签约。今年的进博会规模更大。')]);
    expect(linked.byKey.get('进博会')?.sources).toEqual(expect.arrayContaining(['b.txt', 'd.txt']));
  });

  it('puts author-chosen categories and tags first, and has no duplicate keys', () => {
    expect(index.topics.slice(0, 2).map((t) => t.kinds[0]).sort()).toEqual(['category', 'tag']);
    expect(new Set(index.topics.map((t) => t.key)).size).toBe(index.topics.length);
  });

  it('folds Traditional Chinese and full-width letters so either script finds the topic', () => {
    const traditional = buildTopicIndex([doc('t.txt', '進出口貿易', '進出口貿易持續增長。進出口貿易帶動就業。', { tags: ['ＣＯＶＩＤ'] })]);
    expect(findTopic(traditional, '进出口贸易')?.label).toBe('進出口貿易');
    expect(findTopic(traditional, 'covid')?.label).toBe('ＣＯＶＩＤ');
  });

  it('changes its fingerprint when a document is edited, added or removed, not when reordered', () => {
    const base = fingerprintOf(documents);
    expect(fingerprintOf([...documents].reverse())).toBe(base);
    expect(fingerprintOf([{ ...documents[0], hash: 'changed' }, ...documents.slice(1)])).not.toBe(base);
    expect(fingerprintOf(documents.slice(1))).not.toBe(base);
  });

  it('copes with an empty collection', () => {
    expect(buildTopicIndex([]).topics).toEqual([]);
  });
});

describe('wholeName', () => {
  it('widens a term while every occurrence has the same Han character beside it', () => {
    expect(wholeName('第六届进博会开幕。参加进博会的企业。进博会为企业带来机遇。', '博会')).toBe('进博会');
    expect(wholeName('发展新质生产力。新质生产力是关键。培育新质生产力。', '新质')).toBe('新质生产力');
  });

  it('keeps a term whose neighbours differ, one seen fewer than three times, and stops at punctuation or Latin letters', () => {
    expect(wholeName('部长王毅说。王毅表示。记者问王毅。', '王毅')).toBe('王毅');
    expect(wholeName('进博会开幕。进博会闭幕。', '博会')).toBe('博会');
    expect(wholeName('“班列”开行。“班列”到站。“班列”返程。', '班列')).toBe('班列');
    expect(wholeName('AI班列。AI班列。AI班列。', '班列')).toBe('班列');
  });

  it('stops at eight characters, however long the repeated phrase', () => {
    const phrase = '一二三四五六七八九十';
    expect([...wholeName(`${phrase}。${phrase}。${phrase}。`, '五六')].length).toBe(8);
  });
});

describe('suggestTopics', () => {
  const index = buildTopicIndex(documents);

  it('offers the most prominent topics when nothing is typed, at most 25', () => {
    const many = buildTopicIndex(Array.from({ length: 40 }, (_, i) => doc(`d${i}.txt`, `标题${i}号文件`, railway)));
    expect(suggestTopics(many, '')).toHaveLength(MAX_SUGGESTIONS);
    expect(suggestTopics(index, '')[0].kinds[0]).toMatch(/category|tag/);
  });

  it('ranks an exact match first, then prefixes, then matches inside', () => {
    const found = suggestTopics(index, '班列').map((t) => t.key);
    expect(found[0]).toBe('班列');
    expect(found).toContain(foldTopic('南昌中欧班列开行情况'));
    expect(found.indexOf('班列')).toBeLessThan(found.indexOf(foldTopic('南昌中欧班列开行情况')));
  });

  it('finds a topic inside a name typed longer than it, after every topic the name itself matches', () => {
    expect(suggestTopics(index, '中欧班列的货值').map((t) => t.key)).toContain('班列');
    expect(suggestTopics(index, '王毅就中美关系答记者问的要点').map((t) => t.key)).toEqual(expect.arrayContaining(['王毅', foldTopic('王毅就中美关系答记者问')]));
    // "班列开行" is inside the title (a match of what was typed); 班列 is inside what was typed.
    const found = suggestTopics(index, '班列开行').map((t) => t.key);
    expect(found.indexOf(foldTopic('南昌中欧班列开行情况'))).toBeGreaterThanOrEqual(0);
    expect(found.indexOf(foldTopic('南昌中欧班列开行情况'))).toBeLessThan(found.indexOf('班列'));
  });

  it('does not offer a one-character topic found inside what was typed (it would match nearly anything)', () => {
    const oneCharacter = buildTopicIndex([doc('d.txt', '港', railway)]);
    expect(findTopic(oneCharacter, '港')?.key).toBe('港');
    expect(suggestTopics(oneCharacter, '向塘港口').map((t) => t.key)).not.toContain('港');
  });

  it('matches case-insensitively and finds nothing for unrelated text', () => {
    expect(suggestTopics(index, 'NANCHANG').map((t) => t.key)).toEqual(['nanchangribao']);
    expect(suggestTopics(index, '量子计算')).toEqual([]);
  });
});

describe('findTopic', () => {
  const index = buildTopicIndex(documents);

  it('finds the exact topic, or the only one starting with the value (a long title cut to 100 characters)', () => {
    expect(findTopic(index, '班列')?.key).toBe('班列');
    expect(findTopic(index, '王毅就中美')?.kinds).toEqual(['title']);
  });

  it('returns null for nothing, blank or an ambiguous prefix', () => {
    expect(findTopic(index, '')).toBeNull();
    expect(findTopic(index, '量子')).toBeNull();
    const twins = buildTopicIndex([doc('x.txt', '开放合作一', railway), doc('y.txt', '开放合作二', railway)]);
    expect(findTopic(twins, '开放合作')).toBeNull();
  });
});

describe('current topics', () => {
  it('builds gradually to the same result, keeps serving the old topics meanwhile, and skips unchanged documents', async () => {
    expect(await buildTopicIndexGradually(documents)).toEqual(buildTopicIndex(documents));
    let shown: TopicDocument[] = documents.slice(0, 1);
    const topics = createCurrentTopics(() => shown);
    const first = topics.current();
    expect(topics.current()).toBe(first);
    expect(await topics.refresh()).toBe(first);
    shown = documents;
    const refreshing = topics.refresh();
    expect(topics.current()).toBe(first);
    const second = await refreshing;
    expect(second).not.toBe(first);
    expect(topics.current()).toBe(second);
    expect(second.byKey.has('王毅')).toBe(true);
  });

  it('shares one rebuild among requests made during it, and builds again for documents that changed meanwhile', async () => {
    let shown: TopicDocument[] = documents.slice(0, 1);
    let reads = 0;
    const topics = createCurrentTopics(() => {
      reads++;
      return shown;
    });
    topics.current();
    shown = documents.slice(0, 2);
    const first = topics.refresh();
    expect(topics.refresh()).toBe(first);
    // The documents change again before the gradual build finishes: the result must be of the latest.
    shown = documents;
    const built = await first;
    expect(built.fingerprint).toBe(fingerprintOf(documents));
    expect(built.byKey.has('王毅')).toBe(true);
    expect(reads).toBeGreaterThanOrEqual(3);
  });
});
