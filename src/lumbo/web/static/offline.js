// lumbo offline: the queue of results waiting to be sent, the offline banner, and the service
// worker's registration. An ES module loaded by every page (base.html) and imported by the
// player; the browser runs it once per page however often it is imported.
//
// Results are kept in IndexedDB (database "lumbo", store "queue", oldest first) until the
// server acknowledges them. flush() sends them in order and stops at the first one that cannot
// be sent now (offline, 5xx, 408, 429), so the order is kept; a repeated log replaces the one at
// its position on the server, so sending one twice does no harm. 2xx is done; any other 4xx is
// refused for good (the session was finished or deleted) and dropped, with its reason.
// After "delete everything" the welcome page carries [data-lumbo-forget]: then this module
// clears the queue, lumbo's localStorage keys and the caches instead.

const DB_NAME = "lumbo";
const STORE = "queue";
const OLD_QUEUE_PREFIX = "lumbo-queue-"; // the player's localStorage queue before IndexedDB
const RETRY_WAIT_MS = [500, 1000];

// ---- the database -------------------------------------------------------------------------
let opening = null;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb() {
  if (!("indexedDB" in window)) return Promise.reject(new Error("no IndexedDB"));
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      };
      req.onsuccess = () => {
        const db = req.result;
        // Another tab deletes everything: let go, so the deletion is not blocked.
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      req.onerror = () => { opening = null; reject(req.error); };
    });
  }
  return opening;
}

async function withStore(mode, work) {
  const db = await openDb();
  const tx = db.transaction(STORE, mode);
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error);
  });
  const value = await work(tx.objectStore(STORE));
  await done;
  return value;
}

const allEntries = () => withStore("readonly", (store) => request(store.getAll()));

// ---- the queue --------------------------------------------------------------------------------
// Keeps `result` (with its `position`) to be POSTed to `url`; a result already waiting for the
// same place is replaced, and the new one goes last.
export async function enqueue(result, url) {
  await withStore("readwrite", async (store) => {
    for (const entry of await request(store.getAll())) {
      if (entry.url === url && entry.result.position === result.position) store.delete(entry.id);
    }
    store.add({ url, result, queuedAt: Date.now() });
  });
  updateBanner();
}

// How many results wait; with `url`, only those for it.
export async function pending(url) {
  try {
    const entries = await allEntries();
    return url ? entries.filter((entry) => entry.url === url).length : entries.length;
  } catch (e) { return 0; }
}

// The results waiting for `url`, oldest first.
export async function waiting(url) {
  try { return (await allEntries()).filter((entry) => entry.url === url).map((entry) => entry.result); } catch (e) { return []; }
}

// One POST: "done", "retry", or the reason it was refused for good.
async function post(entry) {
  let response;
  try {
    response = await fetch(entry.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(entry.result),
    });
  } catch (e) { return { outcome: "retry" }; }
  if (response.ok) return { outcome: "done" };
  if (response.status >= 500 || response.status === 408 || response.status === 429) return { outcome: "retry" };
  let reason = `refused (${response.status})`;
  try { reason = (await response.json()).detail || reason; } catch (e) { /* not JSON */ }
  return { outcome: "refused", reason };
}

async function sendAll() {
  const report = { sent: 0, left: 0, refused: null };
  let entries;
  try { entries = await allEntries(); } catch (e) { return report; }
  entries.sort((a, b) => a.id - b.id);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const { outcome, reason } = await post(entry);
    if (outcome === "retry") { report.left = entries.length - i; break; }
    if (outcome === "refused") report.refused = reason;
    else report.sent += 1;
    await withStore("readwrite", async (store) => {
      // Replaced while it was on its way? Then the newer one stays queued.
      const still = await request(store.get(entry.id));
      if (still) store.delete(entry.id);
    });
  }
  if (report.left === 0) report.left = await pending();
  return report;
}

// Without IndexedDB (a locked-down private window): one result sent at once, nothing kept.
export async function sendNow(result, url) {
  const { outcome, reason } = await post({ url, result });
  return { sent: outcome === "done" ? 1 : 0, left: outcome === "retry" ? 1 : 0, refused: reason || null };
}

let flushing = null;
let again = false;

// Sends every waiting result, oldest first. Resolves to {sent, left, refused}: how many went,
// how many still wait, and the last refusal's reason (or null). Retries twice while the
// browser thinks it is online; one flush runs at a time (across tabs too, where supported).
export function flush() {
  if (flushing) { again = true; return flushing; }
  flushing = (async () => {
    let report;
    try {
      do {
        again = false;
        for (let attempt = 0; ; attempt++) {
          report = await (navigator.locks
            ? navigator.locks.request("lumbo-queue", () => sendAll())
            : sendAll());
          if (!report.left || !navigator.onLine || attempt >= RETRY_WAIT_MS.length) break;
          await new Promise((resolve) => window.setTimeout(resolve, RETRY_WAIT_MS[attempt]));
        }
      } while (again);
    } finally {
      flushing = null;
    }
    updateBanner();
    return report;
  })();
  return flushing;
}

// Results the player kept in localStorage before the queue moved to IndexedDB.
async function migrateOldQueue() {
  let keys;
  try { keys = Object.keys(localStorage).filter((key) => key.startsWith(OLD_QUEUE_PREFIX)); } catch (e) { return; }
  for (const key of keys) {
    const sessionId = key.slice(OLD_QUEUE_PREFIX.length);
    let results = [];
    try { results = JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { /* unreadable: drop */ }
    for (const result of Array.isArray(results) ? results : []) {
      if (result && Number.isInteger(result.position)) {
        await enqueue(result, `/api/v1/sessions/${encodeURIComponent(sessionId)}/items`);
      }
    }
    localStorage.removeItem(key);
  }
}

// ---- the banner ----------------------------------------------------------------------------
async function updateBanner() {
  const banner = document.getElementById("offline-banner");
  if (!banner) return;
  const count = await pending();
  const waitingText = count === 1 ? "1 result waits to be sent." : `${count} results wait to be sent.`;
  let text = "";
  if (!navigator.onLine) {
    text = "You are offline. Sessions you have opened still work" + (count ? `; ${waitingText}` : ".");
  } else if (count) {
    text = `${waitingText} lumbo sends them when it can reach the server.`;
  }
  // The live region (#offline-banner) stays in the page; only its message shows and hides.
  const message = banner.querySelector("p") || banner;
  if (message.textContent !== text) message.textContent = text;
  message.hidden = text === "";
}

// ---- delete everything ---------------------------------------------------------------------
// Clears what lumbo keeps in this browser: the queue, its localStorage keys and its caches.
// The service worker stays registered: it holds no data of its own.
export async function forgetEverything() {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith("lumbo")) localStorage.removeItem(key);
    for (const key of Object.keys(sessionStorage)) if (key.startsWith("lumbo")) sessionStorage.removeItem(key);
  } catch (e) { /* storage switched off: nothing kept there */ }
  if (opening) { try { (await opening).close(); } catch (e) { /* never opened */ } opening = null; }
  if ("indexedDB" in window) {
    await new Promise((resolve) => {
      const req = indexedDB.deleteDatabase(DB_NAME);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    });
  }
  if ("caches" in window) {
    for (const name of await caches.keys()) if (name.startsWith("lumbo")) await caches.delete(name);
  }
  document.documentElement.dataset.lumboForgotten = "yes";
}

// ---- start ------------------------------------------------------------------------------------
function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(async () => {
    const ready = await navigator.serviceWorker.ready;
    // A page loaded before the worker took over was not seen by it: ask it to keep a copy.
    if (!navigator.serviceWorker.controller && ready.active) {
      ready.active.postMessage({ type: "keep-page", url: location.pathname + location.search });
    }
  }).catch(() => { /* not a secure context, or switched off: lumbo works online */ });
}

async function start() {
  if (document.querySelector("[data-lumbo-forget]")) {
    await forgetEverything();
    return;
  }
  registerWorker();
  window.addEventListener("online", () => { updateBanner(); flush(); });
  window.addEventListener("offline", () => updateBanner());
  try { await migrateOldQueue(); } catch (e) { /* no IndexedDB: the old queue stays where it is */ }
  updateBanner();
  if (navigator.onLine && (await pending())) flush();
}

export const started = start();
