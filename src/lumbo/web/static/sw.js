// lumbo's service worker: lets the plan and an opened session work without a connection.
// Served as /sw.js (scope "/") by lumbo.web.pages.offline, which fills in VERSION (a hash of
// the static files) and SHELL (their paths), so a changed file installs a new worker and cache.
//
//   /static/*, /manifest.webmanifest   cache first (the versioned shell cache)
//   /static/vendor/*                    cache first, kept when first fetched (the camera
//                                       coach's model and wasm: never fetched up front)
//   /figures/*                          from the cache at once, refreshed in the background
//   pages: /, /plan, /session,          network first; the copy is kept for offline use, and
//          /session/{id}                on the plan and session pages their figures as well
//   everything else (the API, forms,    not touched: straight to the network
//   downloads, other pages)
//
// The kept pages are what an offline session needs (the plan and the sessions opened, at most
// SESSIONS_KEPT of them); API answers are never kept. "Delete everything" clears every cache.

const VERSION = "__LUMBO_VERSION__";
const SHELL = JSON.parse('__LUMBO_SHELL__');
const SHELL_CACHE = `lumbo-shell-${VERSION}`;
const PAGE_CACHE = "lumbo-pages";
const FIGURE_CACHE = "lumbo-figures";
// Vendored files (about 19 MB: the pose model and its wasm) are kept only once the camera
// coach has used them, so the coach works offline after its first use; their folder names
// carry their version, so this cache outlives new shells and drops only an older version.
const VENDOR_CACHE = "lumbo-vendor";
const VENDOR_FILE = /^\/static\/vendor\/([A-Za-z0-9_.-]+)\/[A-Za-z0-9_./-]+$/;
const SESSIONS_KEPT = 7;
const SESSION_PAGE = /^\/session\/[A-Za-z0-9_-]{1,64}$/;
const FIGURE_URL = /\/figures\/[A-Za-z0-9_.-]+\.svg/g;
const OFFLINE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// A page kept for offline use: the welcome page, the plan, the session list and a player.
function offlinePath(url) {
  return url.origin === self.location.origin &&
    (url.pathname === "/" || url.pathname === "/plan" || url.pathname === "/session" || SESSION_PAGE.test(url.pathname));
}
// Only the plain address is kept ("/?deleted=1" is answered, never stored).
function keptPage(url) {
  return offlinePath(url) && url.search === "";
}

// The shell cache is made here and nowhere else, so after "delete everything" (which deletes
// every cache) a late request for an icon does not bring it back half-filled: it is filled
// again, whole, when a page is next kept.
async function fillShell() {
  const cache = await caches.open(SHELL_CACHE);
  await Promise.all(SHELL.map(async (path) => {
    try {
      const response = await fetch(path, { cache: "no-cache" });
      if (response.ok) await cache.put(path, response);
    } catch (e) { /* fetched again on first use */ }
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(fillShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("lumbo-shell-") && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
    // The plan (and today's figures) ready before the first page that needs them offline.
    await keepPage(new URL("/plan", self.location.origin));
  })());
});

// ---- pages ---------------------------------------------------------------------------------
async function keepResponse(url, response) {
  if (!(await caches.has(SHELL_CACHE))) await fillShell();
  const cache = await caches.open(PAGE_CACHE);
  const text = await response.clone().text();
  await cache.put(url.pathname, response);
  if (SESSION_PAGE.test(url.pathname)) {
    const sessions = (await cache.keys()).filter((request) => SESSION_PAGE.test(new URL(request.url).pathname));
    for (const old of sessions.slice(0, Math.max(0, sessions.length - SESSIONS_KEPT))) await cache.delete(old);
  }
  await keepFigures(text);
}

async function keepFigures(html) {
  const cache = await caches.open(FIGURE_CACHE);
  const wanted = [...new Set(html.match(FIGURE_URL) || [])];
  await Promise.all(wanted.map(async (path) => {
    if (await cache.match(path)) return;
    try {
      const response = await fetch(path);
      if (response.ok) await cache.put(path, response);
    } catch (e) { /* offline now: kept next time */ }
  }));
}

async function forgetPage(url) {
  await (await caches.open(PAGE_CACHE)).delete(url.pathname);
}

// Fetches a page with this browser's cookies and keeps it (a page opened before the worker).
async function keepPage(url) {
  if (!keptPage(url)) return;
  try {
    const response = await fetch(url.pathname, { credentials: "same-origin" });
    if (response.ok && !response.redirected) await keepResponse(url, response);
    else if (response.redirected) await forgetPage(url);
  } catch (e) { /* offline: nothing to keep */ }
}

async function page(event, url) {
  try {
    const response = await fetch(event.request);
    if (!keptPage(url)) return response;
    if (response.ok && response.type === "basic" && !response.redirected) {
      event.waitUntil(keepResponse(url, response.clone()));
    } else if (response.type === "opaqueredirect" || response.status === 404) {
      event.waitUntil(forgetPage(url)); // finished or deleted: not a page to go back to
    }
    return response;
  } catch (error) {
    const kept = await caches.match(url.pathname, { cacheName: PAGE_CACHE });
    return kept || offlinePage();
  }
}

function offlinePage() {
  const html = '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>Offline · lumbo</title><link rel="stylesheet" href="/static/lumbo.css"></head>' +
    '<body><main id="main" class="wrap"><h1>You are offline</h1>' +
    "<p>This page was not kept on this device. Your plan and the sessions you have opened " +
    "still work without a connection.</p>" +
    '<p><a href="/plan">Go to your plan</a></p></main></body></html>';
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": OFFLINE_CSP, "Cache-Control": "no-store" },
  });
}

// ---- static files and figures --------------------------------------------------------------
async function cacheFirst(request) {
  if (!(await caches.has(SHELL_CACHE))) return fetch(request); // cleared: see fillShell
  const cache = await caches.open(SHELL_CACHE);
  const kept = await cache.match(request, { ignoreSearch: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

// The folder's name without its version: "mediapipe-tasks-vision-1.1.0" -> "mediapipe-tasks-vision".
function vendorName(folder) {
  return folder.replace(/-v?\d[\w.]*$/, "");
}

async function vendorFile(event, url) {
  const cache = await caches.open(VENDOR_CACHE);
  const kept = await cache.match(url.pathname);
  if (kept) return kept;
  const response = await fetch(event.request);
  if (response.status === 200 && response.type === "basic") {
    event.waitUntil((async () => {
      await cache.put(url.pathname, response.clone());
      // A newer version arrived: the older one's files go.
      const folder = url.pathname.match(VENDOR_FILE)[1];
      for (const old of await cache.keys()) {
        const other = new URL(old.url).pathname.match(VENDOR_FILE);
        if (other && other[1] !== folder && vendorName(other[1]) === vendorName(folder)) await cache.delete(old);
      }
    })());
  }
  return response;
}

async function figure(event) {
  const cache = await caches.open(FIGURE_CACHE);
  const kept = await cache.match(event.request);
  const fresh = fetch(event.request).then(async (response) => {
    if (response.ok) await cache.put(event.request, response.clone());
    return response;
  });
  if (kept) {
    event.waitUntil(fresh.catch(() => undefined));
    return kept;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (offlinePath(url)) event.respondWith(page(event, url));
    else event.respondWith(fetch(request).catch(() => offlinePage()));
    return;
  }
  if (VENDOR_FILE.test(url.pathname)) {
    event.respondWith(vendorFile(event, url));
  } else if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.startsWith("/figures/")) {
    event.respondWith(figure(event));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-page" && typeof data.url === "string") {
    event.waitUntil(keepPage(new URL(data.url, self.location.origin)));
  }
});
