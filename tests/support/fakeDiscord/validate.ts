import type { FakeResponse, Json } from './types.js';

/**
 * Discord's own limits, enforced so a bot that would be rejected in production
 * (e.g. a quote answer over 2000 characters) fails here too instead of passing silently.
 */
const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  actionRows: 5,
  customId: 100,
  buttonLabel: 80,
  choices: 25,
  choiceName: 100,
  threadName: 100,
} as const;

type FieldErrors = Record<string, string>;

export function discordError(status: number, code: number, message: string, errors?: Json): FakeResponse {
  return { status, body: errors ? { message, code, errors } : { message, code } };
}

function invalidFormBody(fieldErrors: FieldErrors): FakeResponse {
  const errors: Json = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    let node = errors;
    for (const segment of path.split('.')) node = node[segment] ??= {};
    node._errors = [{ code: 'BASE_TYPE_MAX_LENGTH', message }];
  }
  return discordError(400, 50035, 'Invalid Form Body', errors);
}

function tooLong(errors: FieldErrors, path: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) errors[path] = `Must be ${max} or fewer in length.`;
}

function embedLength(embed: Json): number {
  const fields: Json[] = embed.fields ?? [];
  const parts = [embed.title, embed.description, embed.footer?.text, embed.author?.name];
  for (const field of fields) parts.push(field.name, field.value);
  return parts.reduce<number>((sum, part) => sum + (typeof part === 'string' ? part.length : 0), 0);
}

function checkEmbeds(errors: FieldErrors, embeds: Json[]): void {
  if (embeds.length > LIMITS.embeds) errors.embeds = `Must be ${LIMITS.embeds} or fewer in length.`;
  embeds.forEach((embed, i) => {
    tooLong(errors, `embeds.${i}.title`, embed.title, LIMITS.embedTitle);
    tooLong(errors, `embeds.${i}.description`, embed.description, LIMITS.embedDescription);
    tooLong(errors, `embeds.${i}.footer.text`, embed.footer?.text, LIMITS.footerText);
    tooLong(errors, `embeds.${i}.author.name`, embed.author?.name, LIMITS.authorName);
    const fields: Json[] = embed.fields ?? [];
    if (fields.length > LIMITS.embedFields) {
      errors[`embeds.${i}.fields`] = `Must be ${LIMITS.embedFields} or fewer in length.`;
    }
    fields.forEach((field, j) => {
      tooLong(errors, `embeds.${i}.fields.${j}.name`, field.name, LIMITS.fieldName);
      tooLong(errors, `embeds.${i}.fields.${j}.value`, field.value, LIMITS.fieldValue);
    });
  });
  const total = embeds.reduce((sum, embed) => sum + embedLength(embed), 0);
  if (total > LIMITS.embedTotal) errors.embeds ??= `Embed size exceeds maximum size of ${LIMITS.embedTotal}`;
}

function checkComponents(errors: FieldErrors, rows: Json[]): void {
  if (rows.length > LIMITS.actionRows) errors.components = `Must be ${LIMITS.actionRows} or fewer in length.`;
  rows.forEach((row, i) => {
    const children: Json[] = row.components ?? [];
    children.forEach((child, j) => {
      tooLong(errors, `components.${i}.components.${j}.custom_id`, child.custom_id, LIMITS.customId);
      tooLong(errors, `components.${i}.components.${j}.label`, child.label, LIMITS.buttonLabel);
    });
  });
}

/**
 * Validates a create/edit message body; `requireContent` rejects empty messages like POST does.
 * `pathPrefix` is 'data' for interaction callbacks, where Discord nests the message.
 */
export function validateMessage(
  body: Json | null,
  fileCount: number,
  requireContent: boolean,
  pathPrefix = '',
): FakeResponse | null {
  const data = body ?? {};
  const errors: FieldErrors = {};
  tooLong(errors, 'content', data.content, LIMITS.content);
  if (Array.isArray(data.embeds)) checkEmbeds(errors, data.embeds);
  if (Array.isArray(data.components)) checkComponents(errors, data.components);
  if (Object.keys(errors).length > 0) return invalidFormBody(prefixed(errors, pathPrefix));
  if (requireContent && isEmptyMessage(data, fileCount)) return discordError(400, 50006, 'Cannot send an empty message');
  return null;
}

function prefixed(errors: FieldErrors, prefix: string): FieldErrors {
  if (!prefix) return errors;
  return Object.fromEntries(Object.entries(errors).map(([path, message]) => [`${prefix}.${path}`, message]));
}

function isEmptyMessage(data: Json, fileCount: number): boolean {
  const hasText = typeof data.content === 'string' && data.content.length > 0;
  const hasList = (key: string): boolean => Array.isArray(data[key]) && data[key].length > 0;
  const hasAttachment = fileCount > 0 || Boolean(data.poll) || hasList('sticker_ids');
  return !hasText && !hasList('embeds') && !hasList('components') && !hasAttachment;
}

export function validateChoices(data: Json | undefined): FakeResponse | null {
  const choices: Json[] = data?.choices ?? [];
  const errors: FieldErrors = {};
  if (choices.length > LIMITS.choices) errors['data.choices'] = `Must be ${LIMITS.choices} or fewer in length.`;
  choices.forEach((choice, i) => {
    tooLong(errors, `data.choices.${i}.name`, choice.name, LIMITS.choiceName);
    tooLong(errors, `data.choices.${i}.value`, choice.value, LIMITS.choiceName);
  });
  return Object.keys(errors).length > 0 ? invalidFormBody(errors) : null;
}

export function validateThreadName(name: unknown): FakeResponse | null {
  if (typeof name !== 'string' || name.length === 0) return invalidFormBody({ name: 'This field is required' });
  const errors: FieldErrors = {};
  tooLong(errors, 'name', name, LIMITS.threadName);
  return Object.keys(errors).length > 0 ? invalidFormBody(errors) : null;
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Catches registration payloads Discord would reject (bad names, missing descriptions, too many options). */
export function validateCommands(commands: Json[]): FakeResponse | null {
  const errors: FieldErrors = {};
  commands.forEach((command, i) => checkCommand(errors, `${i}`, command, command.type ?? 1));
  return Object.keys(errors).length > 0 ? invalidFormBody(errors) : null;
}

function checkCommand(errors: FieldErrors, path: string, node: Json, commandType: number): void {
  const name = node.name;
  if (typeof name !== 'string' || (commandType === 1 && (!COMMAND_NAME.test(name) || name !== name.toLowerCase()))) {
    errors[`${path}.name`] = 'Command name is invalid';
  }
  if (commandType === 1) {
    const description = node.description;
    if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
      errors[`${path}.description`] = 'Must be between 1 and 100 in length.';
    }
  } else {
    // User and message commands (the Apps menus) have a name of up to 32 characters, no description and no options.
    if (typeof name === 'string' && (name.length < 1 || name.length > 32)) errors[`${path}.name`] = 'Must be between 1 and 32 in length.';
    if (node.description) errors[`${path}.description`] = 'Context menu commands cannot have description';
    if (node.options?.length) errors[`${path}.options`] = 'Context menu commands cannot have options';
  }
  const options: Json[] = node.options ?? [];
  if (options.length > 25) errors[`${path}.options`] = 'Must be 25 or fewer in length.';
  const choices: Json[] = node.choices ?? [];
  if (choices.length > LIMITS.choices) errors[`${path}.choices`] = `Must be ${LIMITS.choices} or fewer in length.`;
  options.forEach((option, j) => checkCommand(errors, `${path}.options.${j}`, option, 1));
}
