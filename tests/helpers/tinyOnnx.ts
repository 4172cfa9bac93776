/**
 * A stand-in sentence-embedding model for offline tests of other model configurations: an ONNX graph
 * whose last hidden state is each token's row of a fixed table (one Gather), so a pooled vector can be
 * computed by hand from the token ids. Encoded here, field by field, as ONNX's protobuf schema
 * (onnx.proto3) numbers them; nothing to install.
 */

const varint = (value: number | bigint): number[] => {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
};

type Field = Uint8Array;
const key = (field: number, wireType: 0 | 2) => varint((field << 3) | wireType);
const number = (field: number, value: number | bigint): Field => Uint8Array.from([...key(field, 0), ...varint(value)]);
const bytes = (field: number, payload: Uint8Array): Field => concat([Uint8Array.from([...key(field, 2), ...varint(payload.length)]), payload]);
const text = (field: number, value: string): Field => bytes(field, new TextEncoder().encode(value));
const message = (field: number, ...parts: Field[]): Field => bytes(field, concat(parts));

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const FLOAT = 1;
const INT64 = 7;

/** ValueInfoProto: a named tensor of `elemType` whose dimensions are symbolic (dim_param) or fixed. */
const valueInfo = (field: number, name: string, elemType: number, dims: ReadonlyArray<string | number>) =>
  message(
    field,
    text(1, name),
    message(2, message(1, number(1, elemType), message(2, ...dims.map((d) => message(1, typeof d === 'string' ? text(2, d) : number(1, d)))))),
  );

/**
 * The model file: inputs input_ids and attention_mask (int64, [batch, sequence]; the mask is unused, as
 * pooling applies it), output last_hidden_state = table[input_ids], [batch, sequence, width].
 */
export function tokenTableModel(table: Float32Array, vocabulary: number, width: number): Uint8Array {
  const initializer = message(
    5,
    number(1, vocabulary),
    number(1, width),
    number(2, FLOAT),
    text(8, 'table'),
    bytes(9, new Uint8Array(table.buffer, table.byteOffset, table.byteLength)),
  );
  const gather = message(1, text(1, 'table'), text(1, 'input_ids'), text(2, 'last_hidden_state'), text(3, 'lookup'), text(4, 'Gather'));
  const graph = message(
    7,
    gather,
    text(2, 'token-table'),
    initializer,
    valueInfo(11, 'input_ids', INT64, ['batch', 'sequence']),
    valueInfo(11, 'attention_mask', INT64, ['batch', 'sequence']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch', 'sequence', width]),
  );
  return concat([number(1, 8), text(2, 'quotebot-tests'), graph, message(8, text(1, ''), number(2, 13))]);
}
