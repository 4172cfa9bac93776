import * as OpenCC from 'opencc-js';

let converter: ((text: string) => string) | null = null;

/**
 * Converts Traditional Chinese (Taiwan, Hong Kong and OpenCC standard forms) to Simplified, for matching
 * only: what users see is always the document's own text. Other scripts pass through unchanged; the
 * output has the same length as the input, so offsets stay valid.
 */
export function toSimplified(text: string): string {
  const convert = (converter ??= OpenCC.Converter({ from: 'tw', to: 'cn' }));
  return convert(text);
}
