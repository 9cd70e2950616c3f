// The site's service worker: every page readable offline after one visit, the calculator too once
// it has been opened. Written to the site root as sw.js by the build (site/offline.py), which fills
// in VERSION (rules, runtime and a digest of every generated file) and PAGES (every page's URL).
//
// Caches, named after VERSION so a new build never mixes with an old one (the old ones are deleted
// when the new worker activates):
//   - on install, every page and the search index (HTML and JSON only: no Pyodide byte, so content
//     pages still download none of the runtime);
//   - the files a page says it used (message {type: "keep", urls}); the calculator sends its runtime,
//     engine and rules once Python is ready, since its worker started before this one controlled it.
// Fetches: versioned files (pyodide/<version>/, Material's hashed bundles, ?v= URLs) from the cache
// first; everything else from the network first, the cache when offline.
// Under `mkdocs serve` the build writes a worker that only removes itself and its caches.

const VERSION = "__RULEBOOK_VERSION__";
const PAGES = /*__RULEBOOK_PAGES__*/ [];
const PREFIX = "rulebook-site-";
const CACHE = PREFIX + VERSION;
const ROOT = new URL("./", self.location.href);
const VERSIONED = [/\/pyodide\/[^/]+\//, /\.[0-9a-f]{8,}\.min\.(js|css)$/, /[?&]v=[0-9a-f]+/];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // One by one, so a page that fails (a host's rewrite, a 404) does not cost the others.
    await Promise.all(PAGES.map((page) => cache.add(new URL(page, ROOT)).catch(() => {})));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    // Navigation preload: the browser asks the network for a page while this worker starts, so
    // going through it costs a page no start-up time online.
    if (self.registration.navigationPreload) await self.registration.navigationPreload.enable().catch(() => {});
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const url of data.urls) {
      const target = new URL(url, ROOT);
      if (target.origin !== ROOT.origin || !target.href.startsWith(ROOT.href)) continue;
      if (!(await cache.match(target))) await cache.add(target).catch(() => {});
    }
    if (event.source) event.source.postMessage({ type: "kept", version: VERSION });
  })());
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") cache.put(request, response.clone()).catch(() => {});
  return response;
}

async function networkFirst(request, preload) {
  const cache = await caches.open(CACHE);
  try {
    const response = (preload && await preload) || await fetch(request);
    if (response.ok && response.type === "basic") cache.put(request, response.clone()).catch(() => {});
    return response;
  } catch (error) {
    // Offline: the cached copy; for a page, the same page whatever its query (the calculator's links carry one).
    const hit = await cache.match(request) || (request.mode === "navigate" && await cache.match(request, { ignoreSearch: true }));
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== ROOT.origin || !url.href.startsWith(ROOT.href) || url.pathname.includes("/__rulebook_snapshot__/")) return;
  if (VERSIONED.some((pattern) => pattern.test(url.pathname + url.search))) event.respondWith(cacheFirst(request));
  else event.respondWith(networkFirst(request, request.mode === "navigate" ? event.preloadResponse : null));
});
