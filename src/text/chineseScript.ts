import * as OpenCC from 'opencc-js';

let simplifier: ((text: string) => string) | null = null;
let traditionalizer: ((text: string) => string) | null = null;
let taiwanCharacters: ((text: string) => string) | null = null;

/** Simplified to Taiwan's Traditional characters, character for character (phrases only pick a character). */
function toTaiwanCharacters(text: string): string {
  const convert = (taiwanCharacters ??= OpenCC.Converter({ from: 'cn', to: 'tw' }));
  return convert(text);
}

/**
 * Converts Traditional Chinese (Taiwan, Hong Kong and OpenCC standard forms) to Simplified, for matching
 * only: what users see is always the document's own text. Other scripts pass through unchanged; the
 * output has the same length as the input, so offsets stay valid.
 */
export function toSimplified(text: string): string {
  const convert = (simplifier ??= OpenCC.Converter({ from: 'tw', to: 'cn' }));
  return convert(text);
}

/**
 * The words Taiwan uses for the few terms of the bot's own wording that differ in more than their
 * characters. OpenCC's own Taiwan phrase table (`twp`) has them too, but also turns 权限 into 許可權 where
 * Discord's Taiwan client says 權限, so only these are swapped, before the characters are converted.
 */
const TAIWAN_TERMS: readonly (readonly [string, string])[] = [
  ['服务器', '伺服器'],
  // 文件 is a file in Simplified and a document in Taiwan, so files and folders are swapped too, in the same pass.
  ['文档', '文件'],
  ['文件名', '档名'],
  ['文件夹', '资料夹'],
  ['文件', '档案'],
  ['默认', '预设'],
  ['信息', '资讯'],
  ['消息', '讯息'],
  ['私信', '私讯'],
  // Taiwan quotes in corner brackets, as the replies' echoes of a question do (src/reply/text.ts).
  ['“', '「'],
  ['”', '」'],
];

/**
 * The stretches of text that toTraditional converts: runs of Han characters and of the quotation marks
 * Taiwan writes 「」. A run converts alike alone or in its text, since digits, Latin letters and other
 * punctuation between runs are left as they are and no phrase spans them (tests/reply/traditionalWording.test.ts
 * checks that for every string of the bot's wording).
 */
export const CONVERTED_RUN = /[\p{Script=Han}“”]+/gu;

/**
 * The bot's own wording, written in Simplified, in Taiwan's standard Traditional characters. Only for
 * our fixed strings: a document's words and a user's words are never converted (quotes are the source's).
 */
export function toTraditional(text: string): string {
  const convert = (traditionalizer ??= (() => {
    const terms = OpenCC.CustomConverter(TAIWAN_TERMS);
    return (input: string) => toTaiwanCharacters(terms(input));
  })());
  return convert(text);
}

/** Characters only Simplified writes so (OpenCC's character table, its first reading differing), made on first use. */
let simplifiedOnly: ReadonlySet<string> | null = null;

function simplifiedOnlyCharacters(): ReadonlySet<string> {
  if (simplifiedOnly) return simplifiedOnly;
  const [group] = OpenCC.Locale.from.cn;
  // The group holds the phrase table, then the character table ("万 萬|与 與|…").
  const table = group[group.length - 1];
  const characters = new Set<string>();
  if (typeof table === 'string') {
    for (const entry of table.split('|')) {
      const [simplified, traditional] = entry.split(' ');
      if (simplified && traditional && [...simplified].length === 1 && traditional !== simplified) characters.add(simplified);
    }
  }
  return (simplifiedOnly = characters);
}

/**
 * The script a Chinese text is written in: Traditional when more of its characters are Traditional-only
 * (Simplified would write them otherwise) than Simplified-only, Simplified the other way round, and `shared`
 * when they tie, as they do in a text of characters both scripts write alike ("南昌出口多少？"). Characters
 * are read in their phrases: "著名的景德镇" is Simplified (著名 is written so in both, 镇 only in Simplified),
 * although 著 alone reads as Traditional. Only the character table is read for the
 * Simplified side, not the phrase tables that toTraditional needs (about 62 MB resident).
 */
export function chineseScriptOf(text: string): 'traditional' | 'simplified' | 'shared' {
  const characters = [...text];
  const simplified = [...toSimplified(text)];
  // Converting to Simplified keeps the length; if a phrase ever changed it, the positions would not line up.
  if (simplified.length !== characters.length) return 'shared';
  const onlySimplified = simplifiedOnlyCharacters();
  let traditionalCount = 0;
  let simplifiedCount = 0;
  for (let i = 0; i < characters.length; i++) {
    if (simplified[i] !== characters[i]) traditionalCount++;
    else if (onlySimplified.has(characters[i])) simplifiedCount++;
  }
  if (traditionalCount === simplifiedCount) return 'shared';
  return traditionalCount > simplifiedCount ? 'traditional' : 'simplified';
}
