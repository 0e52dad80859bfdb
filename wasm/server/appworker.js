// The playground's service worker: go-app's (a text/template that go-app
// fills with the version and the files to cache), except that the large
// files (the two .wasm files and the digit bundle) are fetched once, by
// aeLoader (web/loader.js), compressed from any host.
//
// On the first visit the page is loading them at the same moment, through
// the same loader, which fills this cache from the responses it uses: were
// this worker to fetch them too, a plain file server would send each twice.
// So it fetches them only when a worker of an older version is active: the
// page open then is that older version, and will not load the new files.
importScripts("web/loader.js");

const cacheName = "app-" + "{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};

self.addEventListener("install", (event) => {
  console.log("installing app worker {{.Version}}");
  const large = resourcesToCache.filter(aeLoader.large);
  const small = resourcesToCache.filter((r) => !aeLoader.large(r));
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      await cache.addAll(small);
      if (self.registration.active) {
        await Promise.all(large.map((r) => aeLoader.keep(r, cacheName)));
      }
      self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keyList) =>
      Promise.all(keyList.map((key) => (key !== cacheName ? caches.delete(key) : undefined)))
    )
  );
  console.log("app worker {{.Version}} is activated");
});

self.addEventListener("fetch", (event) => {
  event.respondWith(
    caches.match(event.request).then((response) => response || fetch(event.request))
  );
});
