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

async function kept(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(key(request.url))) || fetch(request);
}

async function page(event) {
  const cache = await caches.open(CACHE);
  const network = fetch(event.request).then((response) => {
    if (response.ok && response.type === "basic") {
      cache.put(key(event.request.url), response.clone());
    }
    return response;
  });
  const waited = new Promise((resolve) => { setTimeout(resolve, WAIT_MS, null); });
  const response = await Promise.race([network, waited]).catch(() => null);
  if (response) { return response; }
  const copy = await cache.match(key(event.request.url));
  if (copy) {
    stale.add(event.resultingClientId);
    network.catch(() => null);
    return copy;
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
    const cache = await caches.open(CACHE);
    const copy = await cache.match(key(data.url));
    const installed = await cache.match(INSTALLED);
    const fetched = copy ? Date.parse(copy.headers.get("date") || "") : NaN;
    const saved = fetched || (installed ? Number(await installed.text()) : null);
    port.postMessage({stale: stale.has(event.source && event.source.id), saved: saved});
  })());
});
