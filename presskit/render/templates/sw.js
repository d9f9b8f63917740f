/* presskit's service worker, written by `presskit build` when presskit.yaml sets base_url.
   On install it keeps the portal, every public one-pager and every public PDF in a cache
   named after this build's version, so they open with no network afterwards; a new build
   changes the version (and so this file), and the new worker drops the older caches.
   Pages: network first, the kept copy after a short wait or when offline (the page then says
   how old it is); PDFs and the rest of the kept files: the kept copy first. */
"use strict";
const VERSION = "@VERSION@";
const FILES = @FILES@;
const PREFIX = "presskit:" + self.registration.scope + ":";
const CACHE = PREFIX + VERSION;
const INSTALLED = new URL("presskit-installed", self.registration.scope).href;
const WAIT_MS = 3000;
const stale = new Set();  // the pages (clients) shown from the cache

function key(url) {
  const u = new URL(url);
  u.search = "";
  u.hash = "";
  if (u.pathname.endsWith("/")) { u.pathname += "index.html"; }
  return u.href;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(FILES.map((f) => new Request(new URL(f, self.location).href, {cache: "reload"})));
    await cache.put(INSTALLED, new Response(String(Date.now())));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) { await caches.delete(name); }
    }
    await self.clients.claim();
  })());
});

/* The kept copy of `url`. A worker a newer one has replaced may still answer for a moment;
   its cache is gone then, and opening it would bring back an empty one: it looks in the
   newer worker's cache instead. */
async function copy(url) {
  if (await caches.has(CACHE)) { return (await caches.open(CACHE)).match(key(url)); }
  return caches.match(key(url));
}

async function kept(request) {
  return (await copy(request.url)) || fetch(request);
}

async function page(event) {
  // no-cache: ask the site (a not-modified answer is enough), never the browser's own cache
  const network = fetch(new Request(event.request, {cache: "no-cache"})).then((response) => {
    if (response.ok && response.type === "basic") {  // keep the newest copy (not a redirect)
      const fresh = response.clone();
      event.waitUntil(caches.has(CACHE).then((mine) => mine &&
        caches.open(CACHE).then((cache) => cache.put(key(event.request.url), fresh))));
    }
    return response;
  });
  const waited = new Promise((resolve) => { setTimeout(resolve, WAIT_MS, null); });
  const response = await Promise.race([network, waited]).catch(() => null);
  if (response) { return response; }
  const saved = await copy(event.request.url);
  if (saved) {
    stale.add(event.resultingClientId);
    network.catch(() => null);
    return saved;
  }
  return network;  // nothing kept: the network after all, or its error
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.endsWith(".pdf")) {
    event.respondWith(kept(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else {
    event.respondWith(kept(request));
  }
});

/* A page asks whether it is the kept copy, and from when (webapp.js). */
self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  if (data.type !== "presskit-saved" || !port) { return; }
  event.waitUntil((async () => {
    const page = await copy(data.url);
    const installed = await copy(INSTALLED);
    const fetched = page ? Date.parse(page.headers.get("date") || "") : NaN;
    const saved = fetched || (installed ? Number(await installed.text()) : null);
    const shown = stale.delete(event.source && event.source.id);  // asked once per page
    port.postMessage({stale: shown, saved: saved, version: VERSION});
  })());
});
