/**
 * Discord's documented limits. Lengths are checked in UTF-16 code units (JavaScript's `length`), which is
 * never less than Discord's own count, so staying within them here stays within them there.
 */
export const DISCORD_LIMITS = Object.freeze({
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFooter: 2048,
  embedFields: 25,
  /** Sum of titles, descriptions, footers, field names and values, author names over all embeds of a message. */
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  threadName: 100,
});

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair, ending in "…" when cut. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}
