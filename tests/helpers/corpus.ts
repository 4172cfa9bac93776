/**
 * Small documents on three distinct topics, one per format, long enough for several passages each.
 * Every sentence is unique across the corpus, so a question made of one sentence has one right source.
 */

const alphaParagraphs = Array.from({ length: 6 }, (_, i) => {
  const n = i + 1;
  return (
    `南昌口岸第${n}季度的外贸进出口额达到${100 + n * 7}.5亿元，同比增长${n + 3}.2%。` +
    `海关统计显示，第${n}批出口货物以汽车零部件和电子元件为主，共计${n * 11}万件。` +
    `向塘国际陆港在第${n}季度开行中欧班列${n * 20 + 3}列，货值约${n}.15亿美元。`
  );
});

const betaParagraphs = Array.from({ length: 5 }, (_, i) => {
  const n = i + 1;
  return (
    `第${n}届进博会上，江西交易团有效注册单位${2000 + n * 37}家，意向成交${n * 3}.8亿美元。` +
    `展商代表在第${n}天的签约仪式上说，采购清单覆盖医疗器械、农产品和${n}类消费品。` +
    `参展企业第${n}次带来客家擂茶和景德镇瓷器，吸引了${n * 400}名观众。`
  );
});

const gammaParagraphs = Array.from({ length: 5 }, (_, i) => {
  const n = i + 1;
  return (
    `国家级经开区第${n}批名单公布后，园区内的孵化器增加到${700 + n * 9}家。` +
    `商务部介绍，第${n}类园区的高新技术企业占比达到${18 + n}.3%，外资企业超过${n}万家。` +
    `第${n}个试点园区将布局未来产业先导区，建设${n * 5}个创新平台。`
  );
});

export const ALPHA = {
  name: 'alpha.txt',
  paragraphs: alphaParagraphs,
  content: alphaParagraphs.join('\n\n') + '\n',
};

export const BETA = {
  name: 'beta.md',
  paragraphs: betaParagraphs,
  content: ['---', 'title: 进博会综述', 'date: 2023-11-10', 'tags: [进博会, 江西]', '---', '', '# 进博会综述', '', ...betaParagraphs.flatMap((p) => [p, ''])].join('\n'),
};

export const GAMMA = {
  name: 'gamma.html',
  paragraphs: gammaParagraphs,
  content: `<html><head><title>国家级经开区</title></head><body>${gammaParagraphs.map((p) => `<p>${p}</p>`).join('\n')}</body></html>`,
};

/** A fourth document, added in incremental tests. */
export const DELTA = {
  name: 'sub/delta.txt',
  paragraphs: ['长江与伏尔加河地方合作理事会第四次会议在南昌举行，双方签署了十二项合作协议。', '俄罗斯下诺夫哥罗德州的代表参观了赣江沿岸的汽车工厂和数字信息产业园。'],
  get content() {
    return this.paragraphs.join('\n\n') + '\n';
  },
};

export const BASE_FILES: Record<string, string> = {
  [ALPHA.name]: ALPHA.content,
  [BETA.name]: BETA.content,
  [GAMMA.name]: GAMMA.content,
};

/** One sentence of a paragraph (sentences end with 。). */
export function sentenceOf(paragraph: string, index = 0): string {
  return paragraph.split(/(?<=。)/u)[index];
}
