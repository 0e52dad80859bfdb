// The TF.js peer of the playground's training benchmark (issue 6): the same
// digits (the playground's bundle, decoded: its first 10,000 training digits),
// the same two workloads with the same initialisation scheme, trained with a
// hand-written loop around tf.train.adam on the WebAssembly backend (SIMD).
// Batches are sliced into tensors before the clock starts; the timed loop
// does nothing but optimizer steps.
//
// The Go side calls peerSetup(threads) once, then peerRun(workload, warmupMs,
// measureMs) and reads what it resolves to.
"use strict";

const PIXELS = 784;
const TRAIN = 10000; // first training digits, as the engine benchmarks
const EVAL = 500;    // first held-out digits, as the page's held-out loss

const WORKLOADS = {
  // 784-32-784, leaky ReLU / sigmoid, MSE, Adam lr 0.005, batch 256; encoder
  // N(0, 0.1) with zero bias, decoder PyTorch's default uniform (the
  // playground's "survey" initialisation).
  W1: {hidden: 32, act: "leaky", lr: 0.005, batch: 256, encInit: "normal"},
  // 784-64-784, sigmoid / sigmoid, MSE, Adam lr 0.001, batch 32; PyTorch's
  // default uniform everywhere.
  W2: {hidden: 64, act: "sigmoid", lr: 0.001, batch: 32, encInit: "pytorch"},
};

let digits = null; // {train: Float32Array, test: Float32Array}

// decodeDigits reads the playground's digits as the bench server sends them
// at /digits (decoded from its bundle by engine/mnist): train count T and
// test count S (uint32, little endian), then T*784 train pixels and S*784
// test pixels.
function decodeDigits(buf) {
  const v = new DataView(buf);
  const T = v.getUint32(0, true), S = v.getUint32(4, true);
  if (T < TRAIN || S < EVAL) throw new Error(`the digits are ${T} train and ${S} test`);
  const bytes = new Uint8Array(buf);
  const scale = (off, n) => {
    const out = new Float32Array(n * PIXELS);
    for (let i = 0; i < out.length; i++) out[i] = bytes[off + i] / 255;
    return out;
  };
  return {train: scale(8, TRAIN), test: scale(8 + T * PIXELS, EVAL)};
}

// peerSetup starts the wasm backend: with threads, its multi-threaded SIMD
// build where the page is cross-origin isolated (the bench server sends
// COOP/COEP), else the single-threaded SIMD build.
async function peerSetup(threads) {
  // TF.js would start max(1, cores/2) threads: give it every core.
  if (threads) tf.wasm.setThreadsCount(navigator.hardwareConcurrency || 1);
  else tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  tf.wasm.setWasmPaths("/tfjs-wasm/");
  if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend did not start");
  await tf.ready();
  const res = await fetch("/digits");
  if (!res.ok) throw new Error("digits: HTTP " + res.status);
  digits = decodeDigits(await res.arrayBuffer());
  const info = {
    backend: tf.getBackend(),
    simd: await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"),
    multithread: await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"),
    threads: tf.wasm.getThreadsCount(),
    isolated: self.crossOriginIsolated === true,
    version: tf.version.tfjs,
  };
  document.getElementById("status").textContent = JSON.stringify(info);
  return info;
}

// A small seeded generator (mulberry32) for the shuffle and the initial
// weights, so that every run starts the same.
function rng(seed) {
  return () => {
    seed |= 0; seed = seed + 0x6D2B79F5 | 0;
    let t = Math.imul(seed ^ seed >>> 15, 1 | seed);
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}

function uniform(shape, a, rand) {
  const n = shape.reduce((p, q) => p * q, 1), v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = a * (2 * rand() - 1);
  return tf.variable(tf.tensor(v, shape));
}

function normal(shape, sd, rand) {
  const n = shape.reduce((p, q) => p * q, 1), v = new Float32Array(n);
  for (let i = 0; i < n; i += 2) { // Box-Muller
    const r = Math.sqrt(-2 * Math.log(1 - rand())), t = 2 * Math.PI * rand();
    v[i] = sd * r * Math.cos(t);
    if (i + 1 < n) v[i + 1] = sd * r * Math.sin(t);
  }
  return tf.variable(tf.tensor(v, shape));
}

// yieldNow lets the event loop run (the DevTools protocol, timers) without
// setTimeout's 4 ms clamp.
function yieldNow() {
  return new Promise(resolve => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

async function peerRun(name, warmupMs, measureMs, seed) {
  const w = WORKLOADS[name];
  if (!w) throw new Error("unknown workload " + name);
  const rand = rng(seed || 1);
  const B = w.batch, H = w.hidden;

  // Model: encoder W1 [784,H], b1 [H]; decoder W2 [H,784], b2 [784].
  const W1 = w.encInit === "normal" ? normal([PIXELS, H], 0.1, rand) : uniform([PIXELS, H], 1 / Math.sqrt(PIXELS), rand);
  const b1 = w.encInit === "normal" ? tf.variable(tf.zeros([H])) : uniform([H], 1 / Math.sqrt(PIXELS), rand);
  const W2 = uniform([H, PIXELS], 1 / Math.sqrt(H), rand);
  const b2 = uniform([PIXELS], 1 / Math.sqrt(H), rand);
  const vars = [W1, b1, W2, b2];
  // (tf.fused.matMul with the bias measured no faster here, and it has no
  // gradient for a fused sigmoid or leaky ReLU.)
  const forward = x => {
    const z = tf.add(tf.matMul(x, W1), b1);
    const h = w.act === "leaky" ? tf.leakyRelu(z, 0.01) : tf.sigmoid(z);
    return tf.sigmoid(tf.add(tf.matMul(h, W2), b2));
  };
  const loss = x => tf.mean(tf.squaredDifference(forward(x), x));
  const opt = tf.train.adam(w.lr);

  // Batches: one shuffle of the 10,000 digits, sliced into full batches
  // before timing; the loop cycles through them.
  const order = Array.from({length: TRAIN}, (_, i) => i);
  for (let i = TRAIN - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const batches = [];
  for (let s = 0; s + B <= TRAIN; s += B) {
    const v = new Float32Array(B * PIXELS);
    for (let r = 0; r < B; r++) v.set(digits.train.subarray(order[s + r] * PIXELS, (order[s + r] + 1) * PIXELS), r * PIXELS);
    batches.push(tf.tensor2d(v, [B, PIXELS]));
  }
  const evalX = tf.tensor2d(digits.test, [EVAL, PIXELS]);
  const evalLoss = () => tf.tidy(() => loss(evalX).dataSync()[0]);
  const before = evalLoss();

  let next = 0;
  const step = () => {
    const x = batches[next];
    next = (next + 1) % batches.length;
    tf.tidy(() => { opt.minimize(() => loss(x), false, vars); });
  };
  // Warm-up, then the timed window. The wasm backend runs each kernel when
  // it is called, so the clock sees the work; the window ends after a
  // read-back all the same. Yield to the event loop every 250 ms or so.
  const run = async ms => {
    let steps = 0, lastYield = performance.now();
    const t0 = performance.now();
    for (;;) {
      step(); steps++;
      const now = performance.now();
      if (now - t0 >= ms) break;
      if (now - lastYield > 250) { await yieldNow(); lastYield = performance.now(); }
    }
    W2.dataSync();
    return {steps, ms: performance.now() - t0};
  };
  await run(warmupMs);
  const m = await run(measureMs);
  const after = evalLoss();

  const out = {
    workload: name,
    samplesPerSec: m.steps * B / (m.ms / 1000),
    steps: m.steps,
    ms: m.ms,
    evalMSEBefore: before,
    evalMSE: after,
  };
  tf.dispose(batches); evalX.dispose(); tf.dispose(vars); opt.dispose();
  out.tensors = tf.memory().numTensors; // left over: 0 unless the loop leaks
  return out;
}
