import { toSimplified } from './chineseScript.js';
import { halfWidthAlphanumerics } from './halfWidth.js';

/**
 * A text as it is matched, never shown: Traditional folded to Simplified, full-width digits and letters
 * to ASCII. Index terms, questions and the sentences searched for a question's names all take this form,
 * so a word found in one is found in the others. Same length as `text`, so offsets stay valid.
 */
export function matchingForm(text: string): string {
  return halfWidthAlphanumerics(toSimplified(text));
}
