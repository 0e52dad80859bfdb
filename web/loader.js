// aeLoader fetches the site's large files (the two .wasm files and the digit
// bundle) once, compressed, from any host, and keeps what it fetched for
// offline use. The page (inside app.js), the training worker (worker.js) and
// the service worker (app-worker.js) all load them through it.
//
// Each .wasm file is on the host three times: as it is, gzipped (.gz) and
// in brotli (.br). A host that negotiates an encoding (the `make run`
// server, nginx, Netlify, Cloudflare) sends the plain name compressed and
// says so in Content-Encoding; a plain file server (python3 -m http.server)
// sends no Content-Encoding, so the loader fetches the .gz and inflates it
// itself with DecompressionStream. Which host it is, a HEAD request says
// (a few hundred bytes). The digit bundle is coded compactly by itself
// (engine/mnist: smaller than gzip or brotli would make it), so it is
// fetched as it is.
//
// The service worker's cache keeps each file as it is, under its plain
// name: the loader fills it from the very response the page uses, so the
// first visit downloads each file once.
//
// (No "use strict" at the top: the server puts this file in front of
// go-app's app.js, which is not strict code.)
var aeLoader = (() => {
  "use strict";

  // The network's fetch, before worker.js routes fetch through the loader.
  const network = self.fetch.bind(self);

  const types = { ".wasm": "application/wasm", ".bundle": "application/octet-stream" };

  // The files loaded through the loader, once, and kept for offline use.
  function large(url) {
    return /\.(wasm|bundle)$/.test(absolute(url).pathname);
  }

  // Of those, the ones the site ships precompressed (wasm/server/compress.go's
  // precompressed says the same).
  function precompressed(url) {
    return /\.wasm$/.test(absolute(url).pathname);
  }

  function absolute(url) {
    const base = self.document ? document.baseURI : self.aeBase || self.location.href;
    return new URL(url, base);
  }

  // The cache to fill: go-app's, named after the version ("app-<version>").
  // The page knows its version; a worker takes the newest such cache (the
  // page made it before it started the worker). Null where there is no
  // Cache Storage: outside a secure context (plain http to another
  // machine) the site works, only not offline.
  async function openCache(name) {
    if (!self.caches) {
      return null;
    }
    if (!name) {
      name = (await caches.keys()).filter((k) => k.startsWith("app-")).pop();
    }
    return name ? caches.open(name) : null;
  }

  // fetchDecoded fetches url compressed however the host can, and returns
  // its bytes as they are. onProgress(done, total) follows the bytes.
  async function fetchDecoded(url, onProgress) {
    const gz = precompressed(url); // else there is only the file as it is
    let negotiated = false;
    let total = 0;
    try {
      if (gz) {
        const head = await network(url, { method: "HEAD", cache: "no-store" });
        negotiated = head.ok && head.headers.has("Content-Encoding");
        total = Number(head.headers.get("X-Uncompressed-Length") ||
          (negotiated ? 0 : head.headers.get("Content-Length"))) || 0;
      }
    } catch (err) {
      // No HEAD: fetch the .gz below.
    }
    let response = null;
    if (gz && !negotiated && self.DecompressionStream) {
      response = await network(url + ".gz");
      if (!response.ok) {
        response = null; // no .gz on this host: the plain file below
      }
    }
    let body;
    if (response) {
      body = await inflated(response.body);
    } else {
      response = await network(url);
      if (!response.ok) {
        throw new Error(`fetching ${url} failed: HTTP ${response.status}`);
      }
      body = response.body;
    }
    if (onProgress && total > 0) {
      let done = 0;
      body = body.pipeThrough(new TransformStream({
        transform(chunk, controller) {
          done += chunk.byteLength;
          onProgress(done, total);
          controller.enqueue(chunk);
        },
      }));
    }
    return body;
  }

  // inflated inflates a gzip stream. A host that labels the .gz itself
  // "Content-Encoding: gzip" has had the browser inflate it already, so
  // the first bytes decide: gzip's are 1f 8b.
  async function inflated(body) {
    const [probe, stream] = body.tee();
    const reader = probe.getReader();
    const { value } = await reader.read();
    reader.cancel();
    const gzip = value && value.length >= 2 && value[0] === 0x1f && value[1] === 0x8b;
    return gzip ? stream.pipeThrough(new DecompressionStream("gzip")) : stream;
  }

  function respond(body, url) {
    const ext = absolute(url).pathname.match(/\.[a-z]+$/);
    const type = (ext && types[ext[0]]) || "application/octet-stream";
    return new Response(body, { headers: { "Content-Type": type } });
  }

  // load returns url's file as it is: from the cache when it is there, else
  // from the network, putting a copy into the cache as it streams by.
  // options: cacheName (the page's; a worker's is found), onProgress.
  async function load(url, options = {}) {
    const { response } = await loadKept(url, options);
    return response;
  }

  // loadKept is load, with a promise (kept) of the copy being in the cache.
  async function loadKept(url, options = {}) {
    const abs = absolute(url).href;
    let cache = null;
    try {
      cache = await openCache(options.cacheName);
    } catch (err) {
      console.warn("aeLoader: no cache:", err);
    }
    const hit = cache && (await cache.match(abs));
    if (hit) {
      return { response: hit, kept: Promise.resolve() };
    }
    const body = await fetchDecoded(abs, options.onProgress);
    if (!cache) {
      return { response: respond(body, abs), kept: Promise.resolve() };
    }
    const [mine, copy] = body.tee();
    const kept = cache.put(abs, respond(copy, abs)).catch((err) => {
      console.warn("aeLoader: " + abs + " is not kept for offline use:", err);
    });
    return { response: respond(mine, abs), kept: kept };
  }

  // keep puts url's file into the named cache unless it is there already.
  async function keep(url, cacheName) {
    const { response, kept } = await loadKept(url, { cacheName: cacheName });
    // Only the copy is wanted: let the other branch go, else it would hold
    // the whole file in memory.
    if (response.body) {
      await response.body.cancel();
    }
    await kept;
  }

  return { large, load, keep };
})();
