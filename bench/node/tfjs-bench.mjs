// Times a TFJS graph model with the pure-JavaScript CPU backend of @tensorflow/tfjs, loaded exactly as the parity
// tests load it (tests/node/tfjs-loader.mjs): batch 1, an input tensor prepared once (zeros of the input's shape and
// dtype; unknown dimensions are 1), every output read back each run.
//
//   node bench/node/tfjs-bench.mjs MODEL.json [--runs N] [--warmup W]
//
// Prints one JSON line last: { model, backend, tfjsVersion, runs, warmup, msPerRun, imagesPerSecond, loadMs }.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadTfjs, loadGraphModel } from '../../tests/node/tfjs-loader.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const modelPath = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
if (!modelPath) {
  console.error('usage: node bench/node/tfjs-bench.mjs MODEL.json [--runs N] [--warmup W]');
  process.exit(2);
}
const runs = option('--runs', 10);
const warmup = option('--warmup', 2);

const tf = await loadTfjs();
const loadStart = performance.now();
const model = await loadGraphModel(tf, modelPath);
const loadMs = performance.now() - loadStart;
const feeds = {};
model.inputs.forEach((info, i) => {
  const shape = (info.shape || []).map(d => (d == null || d < 0 ? 1 : d));
  feeds[model.inputNodes[i]] = tf.zeros(shape, info.dtype === 'int32' ? 'int32' : 'float32');
});

async function once() {
  let outputs = model.execute(feeds, model.outputNodes);
  if (!Array.isArray(outputs)) outputs = [outputs];
  for (const t of outputs) await t.data();
  tf.dispose(outputs);
}

for (let i = 0; i < warmup; i++) await once();
const start = performance.now();
for (let i = 0; i < runs; i++) await once();
const msPerRun = (performance.now() - start) / runs;
console.log(JSON.stringify({
  model: path.basename(modelPath), backend: tf.getBackend(), tfjsVersion: tf.version.tfjs, runs, warmup,
  msPerRun: Math.round(msPerRun * 100) / 100, imagesPerSecond: Math.round(100000 / msPerRun) / 100, loadMs: Math.round(loadMs),
}));
