/**
 * Discord's markup for mentions, custom emoji, timestamps and command links: `<@id>`, `<@!id>`, `<@&id>`,
 * `<#id>`, `<:name:id>`, `<a:name:id>`, `<t:1700000000:R>`, `</ask:id>`. In a question they are not words:
 * their ids were searched as numbers, and an answer said "No document mentions “123456789012345678”".
 */
const MARKUP = /<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|t:-?\d+(?::[tTdDfFR])?|\/[\w -]+:\d+)>/gu;

/** The question a message or command option asks: its text without Discord's markup (the bot's own mention included). */
export function questionOf(content: string): string {
  return content.replace(MARKUP, ' ').replace(/[ \t]+/gu, ' ').trim();
}
