import { createRequire } from 'node:module';
import type onnxProto from 'onnx-proto';

type Onnx = typeof onnxProto.onnx;
/**
 * protobufjs and the ONNX schema take about 35 ms to load, and only a rewrite (once per model file) needs
 * them: loaded then, not at every start of the bot (which imports this module for CLS_ONLY_GRAPH).
 */
const loadOnnx = (): Onnx => (createRequire(import.meta.url)('onnx-proto') as typeof onnxProto).onnx;

/** Names this change of the graph in index fingerprints (manifest.ts); bump it when its vectors change. */
export const CLS_ONLY_GRAPH = 'last layer for the CLS token only/1';

/**
 * A BERT encoder whose sentence vector is its first ([CLS]) token needs every token's keys and values in
 * the last layer, but the query, attention output, feed-forward block and layer norms of that one token
 * only: for the others they are computed and thrown away, about a fifth of a 4-layer model's work. This
 * rewrites such a graph so that the last layer's query and its residual input are sliced to the first
 * token; its output is then [batch, 1, width], the vector CLS pooling takes.
 *
 * The graph must be a BERT export with Hugging Face Optimum's node names, float or dynamically quantized
 * (DynamicQuantizeLinear before each MatMulInteger), as Transformers.js's models are. Anything else is
 * refused with the reason, never half-changed. The vectors differ from the full graph's only by int8
 * rounding: the last layer's activations are quantized over one token instead of all (cosine ≥ 0.999,
 * tests/embed/clsOnlyGraph.test.ts).
 */
export function clsOnlyLastLayer(modelFile: Uint8Array): Uint8Array {
  const onnx = loadOnnx();
  const model = onnx.ModelProto.decode(modelFile);
  if (!model.graph) throw new Error('the file holds no graph');
  // Decoded messages are class instances: their repeated fields are arrays, present even when empty.
  const graph = model.graph as InstanceType<typeof onnx.GraphProto>;
  const nodes = graph.node as Array<InstanceType<typeof onnx.NodeProto>>;
  const opset = model.opsetImport.find((entry) => !entry.domain)?.version;
  // Slice with starts/ends/axes as inputs came with opset 10.
  if (opset === undefined || opset === null || Number(opset) < 10) throw new Error(`opset ${String(opset)} is older than 10`);
  if (graph.output.length !== 1) throw new Error(`the graph has ${graph.output.length} outputs, not one last hidden state`);

  // The last layer's attention query: the query node of the highest layer number.
  let last = -1;
  let query: (typeof nodes)[number] | undefined;
  for (const node of nodes) {
    const match = /\/layer\.(\d+)\/attention\/self\/query\/MatMul(?:_quant)?$/.exec(node.name ?? '');
    if (match && Number(match[1]) > last) [last, query] = [Number(match[1]), node];
  }
  if (!query) throw new Error('no attention query of an encoder layer was found');
  const layer = `/layer.${last}/`;
  const residual = nodes.find((node) => node.name?.endsWith(`${layer}attention/output/Add`));
  if (!residual) throw new Error(`layer ${last} lacks the residual sum after attention`);

  // The layer's input: the query's own input, or what its quantization read.
  const queryInput = query.input[0];
  const quantizer = nodes.find((node) => node.output.includes(queryInput));
  const layerInput = quantizer?.opType === 'DynamicQuantizeLinear' ? quantizer.input[0] : queryInput;
  const residualAt = residual.input.indexOf(layerInput);
  if (residualAt < 0) throw new Error(`the residual sum of layer ${last} does not read the layer's input`);
  // Only nodes inside the last layer may read its output, or slicing would cut off something else.
  const finalOutput = graph.output[0].name ?? '';
  if (!nodes.some((node) => node.output.includes(finalOutput) && node.name?.includes(layer))) {
    throw new Error(`the graph's output is not computed by layer ${last}`);
  }

  const int64 = (name: string, value: number) => onnx.TensorProto.create({ name, dataType: onnx.TensorProto.DataType.INT64, dims: [1], int64Data: [value] });
  graph.initializer.push(int64('cls_only/start', 0), int64('cls_only/end', 1), int64('cls_only/axis', 1));
  const slice = (input: string, output: string) =>
    onnx.NodeProto.create({ opType: 'Slice', name: `${output}/Slice`, input: [input, 'cls_only/start', 'cls_only/end', 'cls_only/axis'], output: [output] });
  // Inserted right before the query, after both inputs are made: the node list stays in topological order.
  nodes.splice(nodes.indexOf(query), 0, slice(queryInput, 'cls_only/query_input'), slice(layerInput, 'cls_only/residual_input'));
  query.input[0] = 'cls_only/query_input';
  residual.input[residualAt] = 'cls_only/residual_input';
  const dims = graph.output[0].type?.tensorType?.shape?.dim;
  if (dims && dims.length === 3) dims[1] = onnx.TensorShapeProto.Dimension.create({ dimValue: 1 });
  return onnx.ModelProto.encode(model).finish();
}
