/**
 * Button custom ids carry what a click needs besides the stored answer: `more:<answerId>:<page>` shows
 * that page, `passage:<answerId>:<rank>` shows one result's whole passage, `report:<answerId>` records that
 * the answer did not answer its question. Answer ids are short, so ids stay far below Discord's 100 characters.
 */
export type ButtonAction =
  | { readonly kind: 'more'; readonly answerId: string; readonly page: number }
  | { readonly kind: 'passage'; readonly answerId: string; readonly rank: number }
  | { readonly kind: 'report'; readonly answerId: string };

const ANSWER_ID = /^[a-z0-9]{1,32}$/;

export function moreId(answerId: string, page: number): string {
  return `more:${answerId}:${page}`;
}

export function passageId(answerId: string, rank: number): string {
  return `passage:${answerId}:${rank}`;
}

export function reportId(answerId: string): string {
  return `report:${answerId}`;
}

/** Parses a custom id; anything not made by this bot (or tampered with) is null. */
export function parseCustomId(customId: string): ButtonAction | null {
  const [kind, answerId, number, ...rest] = customId.split(':');
  if (kind === 'report' && number === undefined && answerId && ANSWER_ID.test(answerId)) return { kind, answerId };
  if (rest.length > 0 || !answerId || !ANSWER_ID.test(answerId) || !/^\d{1,3}$/.test(number ?? '')) return null;
  const value = Number.parseInt(number, 10);
  if (kind === 'more') return { kind, answerId, page: value };
  if (kind === 'passage' && value >= 1) return { kind, answerId, rank: value };
  return null;
}
