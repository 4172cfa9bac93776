/** Discord refuses an embed whose url is longer than this; a longer link is not kept. */
const MAX_LINK_CHARS = 2048;

/**
 * An absolute http(s) address in its normalised form, or null for anything else: a relative path, a
 * `javascript:` or `file:` URL, or text that is not a URL. Replies put it where Discord makes it a link,
 * and Discord rejects a whole message whose embed link is invalid, so only what `URL` accepts is kept.
 */
export function webLink(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (!/^https?:\/\//iu.test(trimmed)) return null;
  try {
    const href = new URL(trimmed).href;
    return href.length <= MAX_LINK_CHARS ? href : null;
  } catch {
    return null;
  }
}

/**
 * Where a document is read under a base address (DOCS_BASE_URL, e.g. the repository or wiki the documents
 * folder is published from): its path relative to the folder, each segment percent-encoded.
 */
export function linkUnder(base: string, source: string): string | null {
  const folder = base.endsWith('/') ? base : `${base}/`;
  return webLink(folder + source.split('/').map(encodeURIComponent).join('/'));
}
