// Loads @tensorflow/tfjs (pure-JS CPU backend) from .cache/node (scripts/install-test-deps.sh) or NODE_PATH, and reads
// a TFJS graph model's model.json plus every weight shard from disk. Shared by tfjs-reference.mjs (parity outputs)
// and bench/node/tfjs-bench.mjs (timings), so both run the original model exactly the same way.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

/** The @tensorflow/tfjs module, set to the CPU backend. */
export async function loadTfjs() {
  let tf;
  try {
    tf = createRequire(path.join(repo, '.cache', 'node', 'package.json'))('@tensorflow/tfjs');
  } catch {
    tf = createRequire(import.meta.url)('@tensorflow/tfjs');
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/** An IOHandler reading model.json and its weight shards from disk (tf.io.fileSystem exists only in tfjs-node). */
export function fileHandler(modelPath) {
  return {
    async load() {
      const json = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
      const folder = path.dirname(modelPath);
      const weightSpecs = [];
      const buffers = [];
      for (const group of json.weightsManifest) {
        for (const p of group.paths) buffers.push(fs.readFileSync(path.join(folder, p)));
        weightSpecs.push(...group.weights);
      }
      const all = Buffer.concat(buffers);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
        userDefinedMetadata: json.userDefinedMetadata,
        weightSpecs,
        weightData,
      };
    },
  };
}

/** Loads the graph model at modelPath with tf.loadGraphModel. */
export async function loadGraphModel(tf, modelPath) {
  return tf.loadGraphModel(fileHandler(path.resolve(modelPath)));
}
