// Runs a TensorFlow.js graph model with the pure-JavaScript CPU backend of @tensorflow/tfjs and writes its inputs and
// outputs as raw little-endian files plus a JSON index, so that other runtimes can be compared with TFJS itself.
//
//   node tests/node/tfjs-reference.mjs MODEL.json OUT_DIR [--min M] [--range R] [--seed S] [--batch B]
//
// Inputs are a deterministic pseudo-random pattern (xorshift32 seeded with S, default 1): float inputs are uniform in
// [M, M + R) (M defaults to 0, R to 1), integer inputs are integers in [0, R) (R defaults to 256). Unknown dimensions are B (default 1).
// OUT_DIR receives reference.json ({ backend, tfjsVersion, inputs: [...], outputs: [...] }, each entry with name,
// dtype, shape and file) and one .bin file per tensor. @tensorflow/tfjs and the model are loaded by tfjs-loader.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { loadTfjs, loadGraphModel } from './tfjs-loader.mjs';

const tf = await loadTfjs();

function parseArgs(argv) {
  const positional = [];
  const options = { seed: 1, batch: 1, range: null, min: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') options.seed = Number(argv[++i]);
    else if (a === '--batch') options.batch = Number(argv[++i]);
    else if (a === '--range') options.range = Number(argv[++i]);
    else if (a === '--min') options.min = Number(argv[++i]);
    else positional.push(a);
  }
  if (positional.length !== 2) {
    console.error('usage: node tests/node/tfjs-reference.mjs MODEL.json OUT_DIR [--min M] [--range R] [--seed S] [--batch B]');
    process.exit(2);
  }
  return { model: positional[0], out: positional[1], ...options };
}

function* xorshift(seed) {
  let x = (seed >>> 0) || 1;
  for (;;) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    yield x;
  }
}

function writeTensor(dir, file, data) {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(path.join(dir, file), bytes);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const model = await loadGraphModel(tf, args.model);
  fs.mkdirSync(args.out, { recursive: true });
  const random = xorshift(args.seed);
  const feeds = {};
  const inputs = [];
  model.inputs.forEach((info, i) => {
    const name = model.inputNodes[i];
    const shape = (info.shape || []).map(d => (d == null || d < 0 ? args.batch : d));
    const size = shape.reduce((a, b) => a * b, 1);
    const dtype = info.dtype === 'int32' ? 'int32' : 'float32';
    let data;
    if (dtype === 'int32') {
      const range = args.range ?? 256;
      data = new Int32Array(size);
      for (let k = 0; k < size; k++) data[k] = random.next().value % range;
    } else {
      const range = args.range ?? 1;
      data = new Float32Array(size);
      for (let k = 0; k < size; k++) data[k] = args.min + (random.next().value / 4294967296) * range;
    }
    const file = `input_${i}.bin`;
    writeTensor(args.out, file, data);
    inputs.push({ name, dtype, shape, file });
    feeds[name] = tf.tensor(data, shape, dtype);
  });
  const outputNames = model.outputNodes;
  let results = model.execute(feeds, outputNames);
  if (!Array.isArray(results)) results = [results];
  const outputs = [];
  for (let i = 0; i < results.length; i++) {
    const t = results[i];
    const data = await t.data();
    const typed = t.dtype === 'bool' ? Int32Array.from(data) : data;
    const file = `output_${i}.bin`;
    writeTensor(args.out, file, typed);
    outputs.push({ name: outputNames[i], dtype: t.dtype === 'bool' ? 'int32' : t.dtype, shape: t.shape, file });
  }
  const index = { backend: tf.getBackend(), tfjsVersion: tf.version.tfjs, model: path.basename(args.model), seed: args.seed, min: args.min, range: args.range, inputs, outputs };
  fs.writeFileSync(path.join(args.out, 'reference.json'), JSON.stringify(index, null, 1));
  console.log(`${path.basename(args.model)}: ${outputs.map(o => `${o.name} [${o.shape}]`).join(', ')}`);
}

main().catch(err => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
