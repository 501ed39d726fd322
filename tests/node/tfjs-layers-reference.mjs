// Runs a TensorFlow.js layers model (Keras topology + weights) with tf.loadLayersModel on the pure-JavaScript CPU
// backend and writes its input and output as raw little-endian files plus a JSON index (the same layout as
// tfjs-reference.mjs), so that the layers importer can be compared with TensorFlow.js itself.
//
//   node tests/node/tfjs-layers-reference.mjs MODEL.json OUT_DIR --shape N,H,W,C [--min M] [--range R] [--seed S]
//   node tests/node/tfjs-layers-reference.mjs MODEL.json OUT_DIR --shape N,H,W,C --input RAW.bin
//
// The input is xorshift32 noise seeded with S (uniform in [M, M + R)), or the float32 values of RAW.bin.
// UpscalerJS's ESRGAN models use two custom layer classes; they are registered here as the package defines them
// (MultiplyBeta: x * 0.2; PixelShuffle<N>x: depthToSpace(x, N, 'NHWC')) before the model is loaded.
import fs from 'node:fs';
import path from 'node:path';
import { loadTfjs, fileHandler } from './tfjs-loader.mjs';

const tf = await loadTfjs();

function registerUpscalerLayers() {
  class MultiplyBeta extends tf.layers.Layer {
    static className = 'MultiplyBeta';
    constructor() { super({}); this.beta = 0.2; }
    call(inputs) { return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.beta); }
  }
  tf.serialization.registerClass(MultiplyBeta);
  for (const scale of [2, 3, 4, 8]) {
    const Shuffle = class extends tf.layers.Layer {
      static className = `PixelShuffle${scale}x`;
      constructor() { super({}); this.scale = scale; }
      computeOutputShape(s) { return [s[0], s[1] == null ? null : s[1] * scale, s[2] == null ? null : s[2] * scale, s[3] / (scale * scale)]; }
      call(inputs) { return tf.depthToSpace(Array.isArray(inputs) ? inputs[0] : inputs, this.scale, 'NHWC'); }
    };
    tf.serialization.registerClass(Shuffle);
  }
}

function parseArgs(argv) {
  const positional = [];
  const options = { seed: 1, range: 1, min: 0, shape: null, input: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') options.seed = Number(argv[++i]);
    else if (a === '--range') options.range = Number(argv[++i]);
    else if (a === '--min') options.min = Number(argv[++i]);
    else if (a === '--shape') options.shape = argv[++i].split(',').map(Number);
    else if (a === '--input') options.input = argv[++i];
    else positional.push(a);
  }
  if (positional.length !== 2 || !options.shape) {
    console.error('usage: node tests/node/tfjs-layers-reference.mjs MODEL.json OUT_DIR --shape N,H,W,C [--min M] [--range R] [--seed S] [--input RAW.bin]');
    process.exit(2);
  }
  return { model: positional[0], out: positional[1], ...options };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  registerUpscalerLayers();
  const model = await tf.loadLayersModel(fileHandler(path.resolve(args.model)));
  fs.mkdirSync(args.out, { recursive: true });
  const size = args.shape.reduce((a, b) => a * b, 1);
  let data;
  if (args.input) {
    const bytes = fs.readFileSync(args.input);
    data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (data.length !== size) throw new Error(`${args.input} holds ${data.length} values, the shape needs ${size}`);
  } else {
    data = new Float32Array(size);
    let x = (args.seed >>> 0) || 1;
    for (let k = 0; k < size; k++) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      data[k] = args.min + (x / 4294967296) * args.range;
    }
  }
  fs.writeFileSync(path.join(args.out, 'input_0.bin'), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const result = model.predict(tf.tensor(data, args.shape, 'float32'));
  const outputs = [];
  const list = Array.isArray(result) ? result : [result];
  for (let i = 0; i < list.length; i++) {
    const values = await list[i].data();
    const file = `output_${i}.bin`;
    fs.writeFileSync(path.join(args.out, file), Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    outputs.push({ name: model.outputNames[i], dtype: 'float32', shape: list[i].shape, file });
  }
  const inputs = [{ name: model.inputNames[0], dtype: 'float32', shape: args.shape, file: 'input_0.bin' }];
  const index = { backend: tf.getBackend(), tfjsVersion: tf.version.tfjs, model: path.basename(args.model), seed: args.seed, min: args.min, range: args.range, inputs, outputs };
  fs.writeFileSync(path.join(args.out, 'reference.json'), JSON.stringify(index, null, 1));
  console.log(`${path.basename(args.model)}: ${outputs.map(o => `${o.name} [${o.shape}]`).join(', ')}`);
}

main().catch(err => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
