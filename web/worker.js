// The Web Worker that hosts the training engine (worker.wasm, built from
// wasm/worker). Training runs here so the page's main thread only draws.
//
// The page starts sending commands as soon as it creates the worker, long
// before Go has compiled and installed its message handler: those messages are
// queued here and replayed in order once Go calls goWorkerReady, else they
// would be lost.
"use strict";

// From a blob (a page with an opaque origin starts it so, workerclient.go)
// self.aeBase is this file's own URL, which the other files are beside.
const here = self.aeBase || self.location.href;
importScripts(new URL("wasm_exec.js", here).href, new URL("loader.js", here).href);

// The engine fetches its digits with fetch("mnist.bundle"): the large files
// go through aeLoader (loader.js), so they come compressed from any host and
// are kept for offline use; anything else goes to the network as it would.
const networkFetch = self.fetch.bind(self);
self.fetch = (input, init) =>
  typeof input === "string" && aeLoader.large(input) ? aeLoader.load(input) : networkFetch(input, init);

const pending = [];
self.onmessage = (event) => pending.push(event.data);

// Called by Go with its handler. The replay runs in a task of its own so Go
// is not re-entered from inside its own call, and it installs the handler in
// that same task so no message can overtake the queued ones.
self.goWorkerReady = (handler) => {
  setTimeout(() => {
    for (const data of pending.splice(0)) {
      handler(data);
    }
    self.onmessage = (event) => handler(event.data);
  }, 0);
};

const go = new Go();
WebAssembly.instantiateStreaming(aeLoader.load("worker.wasm"), go.importObject)
  .then((result) => go.run(result.instance))
  .catch((err) => {
    self.postMessage({ type: "error", text: "Loading the training engine failed: " + err });
  });
