import { z } from 'zod';
import { UserError } from '../errors.js';

const evalQuestionSchema = z.object({
  id: z.string().min(1),
  q: z.string(),
  lang: z.string().min(1),
  doc: z.string().min(1),
  answer: z.string().min(1),
  kind: z.string().optional(),
});

export type EvalQuestion = z.infer<typeof evalQuestionSchema>;

/** Parses eval JSONL (`{"id","q","lang","doc","answer"}` per line); blank lines are allowed. */
export function parseEvalSet(text: string, file: string): EvalQuestion[] {
  const questions: EvalQuestion[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new UserError('EVAL_FILE_INVALID', { line: i + 1, file, reason: (error as Error).message });
    }
    const parsed = evalQuestionSchema.safeParse(raw);
    if (!parsed.success) throw new UserError('EVAL_FILE_INVALID', { line: i + 1, file, reason: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
    questions.push(parsed.data);
  });
  return questions;
}
