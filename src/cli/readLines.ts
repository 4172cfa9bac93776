export type InputLine = { readonly ok: true; readonly text: string } | { readonly ok: false };

/** Splits a byte stream into lines, decoding each as strict UTF-8 so one bad line is reported, not garbled. */
export async function* readLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<InputLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = Buffer.alloc(0);
  const decode = (bytes: Buffer): InputLine => {
    try {
      return { ok: true, text: decoder.decode(bytes).replace(/\r$/, '') };
    } catch (error) {
      if (error instanceof TypeError) return { ok: false };
      throw error;
    }
  };
  for await (const piece of stream) {
    pending = Buffer.concat([pending, typeof piece === 'string' ? Buffer.from(piece) : piece]);
    let newline = pending.indexOf(0x0a);
    while (newline >= 0) {
      yield decode(pending.subarray(0, newline));
      pending = pending.subarray(newline + 1);
      newline = pending.indexOf(0x0a);
    }
  }
  if (pending.length > 0) yield decode(pending);
}
