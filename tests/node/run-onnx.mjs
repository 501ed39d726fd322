// Runs an ONNX model on ONNX Runtime for Node.js (onnxruntime-node), outside .NET, and prints its outputs as JSON.
// Tests use it to check that exported models work in another runtime.
//
//   node tests/node/run-onnx.mjs MODEL.onnx TENSOR.bin DIMS [INPUT_NAME]
//
// TENSOR.bin holds raw float32 little-endian values; DIMS is the shape, comma separated (e.g. 3,3,224,224);
// INPUT_NAME defaults to the model's first input. Prints one line:
//   {"runtime":"onnxruntime-node","outputs":{"name":{"type":"float32","dims":[...],"data":[...]}}}
// onnxruntime-node is loaded from <repo>/.cache/node, where scripts/install-test-deps.sh installs it.
// Exit codes: 0 ok, 2 usage or input error, 3 onnxruntime-node missing, 4 the runtime failed.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fail = (code, message) => {
  process.stderr.write(`run-onnx: ${message}\n`);
  process.exit(code);
};

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const prefix = path.join(repo, '.cache', 'node');
let ort;
try {
  ort = createRequire(path.join(prefix, 'package.json'))('onnxruntime-node');
} catch (error) {
  fail(3, `onnxruntime-node is not installed under ${prefix} (${error.code ?? error.message}); run scripts/install-test-deps.sh`);
}

const [modelPath, tensorPath, dimsText, inputName] = process.argv.slice(2);
if (!modelPath || !tensorPath || !dimsText) {
  fail(2, 'usage: node tests/node/run-onnx.mjs MODEL.onnx TENSOR.bin DIM,DIM,... [INPUT_NAME]');
}
const dims = dimsText.split(',').map((d) => Number.parseInt(d, 10));
if (dims.some((d) => !Number.isInteger(d) || d < 0)) {
  fail(2, `bad shape '${dimsText}'; give non-negative integers separated by commas`);
}
const count = dims.reduce((n, d) => n * d, 1);
let bytes;
try {
  bytes = readFileSync(tensorPath);
} catch (error) {
  fail(2, `cannot read ${tensorPath}: ${error.message}`);
}
if (bytes.length !== count * 4) {
  fail(2, `${tensorPath} holds ${bytes.length} bytes but shape [${dims}] needs ${count * 4}`);
}
const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const values = new Float32Array(count);
for (let i = 0; i < count; i++) {
  values[i] = view.getFloat32(i * 4, true);
}

try {
  const session = await ort.InferenceSession.create(modelPath);
  const name = inputName ?? session.inputNames[0];
  const results = await session.run({ [name]: new ort.Tensor('float32', values, dims) });
  const outputs = {};
  for (const key of session.outputNames) {
    const tensor = results[key];
    outputs[key] = { type: tensor.type, dims: Array.from(tensor.dims), data: Array.from(tensor.data, Number) };
  }
  process.stdout.write(JSON.stringify({ runtime: 'onnxruntime-node', outputs }) + '\n');
} catch (error) {
  fail(4, `ONNX Runtime failed on ${modelPath}: ${error.message}`);
}
