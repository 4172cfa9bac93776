import { describe, expect, it } from 'vitest';
import { rejoinBrokenParagraphs } from '../../src/ingest/rejoinParagraphs.js';

describe('rejoinBrokenParagraphs', () => {
  it('joins prose that breaks off mid-sentence to the paragraph that picks it up', () => {
    expect(rejoinBrokenParagraphs(['今年进博会上，福特汽车携多款', '明星车型参展，此次展区内备受关注。', '下一段。'])).toEqual([
      '今年进博会上，福特汽车携多款明星车型参展，此次展区内备受关注。',
      '下一段。',
    ]);
  });

  it('joins a sentence broken twice into one paragraph', () => {
    expect(rejoinBrokenParagraphs(['可以让我们了解信息，也可以让当地政', '府听到企业的心声，并且', '做好服务。'])).toEqual([
      '可以让我们了解信息，也可以让当地政府听到企业的心声，并且做好服务。',
    ]);
  });

  it('joins across an opening quote, and Latin prose only to a lower-case continuation', () => {
    expect(rejoinBrokenParagraphs(['越是形势复杂，越要用好改革开放', '“关键一招”。'])).toEqual(['越是形势复杂，越要用好改革开放“关键一招”。']);
    expect(rejoinBrokenParagraphs(['The fox, being quick, jumps over the', 'lazy dog.'])).toEqual(['The fox, being quick, jumps over the lazy dog.']);
    expect(rejoinBrokenParagraphs(['Install it with, for example', 'The next section explains why.'])).toEqual(['Install it with, for example', 'The next section explains why.']);
  });

  it('leaves headlines, bylines and photo credits apart from the text after them', () => {
    const page = [
      '合作交流谋共赢',
      '11月7日晚，江西省人民政府与俄罗斯下诺夫哥罗德州政府签署协议。',
      '中共中央政治局委员、外交部长王毅回答中外记者提问',
      '据新华社北京3月7日电 3月7日，十四届全国人大二次会议举行记者会。',
      '▲8月5日，王毅接受新华社专访。新华社记者翟健岚摄',
      '传统经济转型升级拉升存量。',
      '着力打造对外开放新高地。□本报记者张瑞哲',
      '主动融入发展',
    ];
    expect(rejoinBrokenParagraphs(page)).toEqual(page);
  });

  it('does not join broken-off prose to a heading or to a list marker', () => {
    const page = ['全省外贸增长，进出口总额创新高', '加快口岸建设', '今年以来，全省新增航线', '▲南昌首列中欧班列。', '- 第一项'];
    expect(rejoinBrokenParagraphs(page)).toEqual(page);
  });

  it('keeps every character and returns a new array', () => {
    const page = ['今年进博会上，福特汽车携多款', '明星车型参展。'];
    const joined = rejoinBrokenParagraphs(page);
    expect(joined.join('')).toBe(page.join(''));
    expect(page).toEqual(['今年进博会上，福特汽车携多款', '明星车型参展。']);
  });
});
