// lumbo's camera coach in the session player: the "Use camera" switch, the set-up screen,
// the live preview with its outline, and one ItemCamera per exercise that the player asks
// "in position?", "how many reps?" and "what to say?".
//
// Privacy: frames go from the camera to the <video> and to the pose model in this page, and
// nowhere else. Nothing is drawn from them but the outline, nothing is stored or sent; only
// the numbers of summary() reach the item log.
//
// Speed and weight: the tracker (tracker.js) and the rules (rules.js) are imported only when
// an item starts with the camera on; the tracker loads the vendored model and wasm only
// then, so a plain player view never fetches them.

const $ = (id) => document.getElementById(id);
const STORE_KEY = "lumbo-camera";
const OUTLINE_KEY = "lumbo-camera-outline";
const IN_VIEW_MS = 1000; // in frame this long before the set-up screen lets go
const STALE_MS = 1000; // no frame for this long: not "in position" (the timer waits)

const state = { on: false, asking: false, broken: false, active: null, paused: false, speak: () => {} };

function stored(key, fallback) {
  try { return localStorage.getItem(key) ?? fallback; } catch (e) { return fallback; }
}
function store(key, value) {
  try { localStorage.setItem(key, value); } catch (e) { /* private mode: kept for this page only */ }
}

// ---- what went wrong, in plain words ------------------------------------------------------
function problem(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "The camera was not allowed, so lumbo goes on without it. To use it, allow the camera for this site in your browser's settings.";
  }
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
    return "No camera was found on this device, so lumbo goes on without it.";
  }
  if (name === "NotReadableError" || name === "AbortError") {
    return "The camera is busy or could not start, so lumbo goes on without it. Close other apps that use it and try again.";
  }
  if (name === "NoMediaDevices") {
    return "This browser cannot open the camera here, so lumbo goes on without it.";
  }
  return "The camera coach could not start on this device, so lumbo goes on without it.";
}

function note(text) {
  for (const id of ["camera-note", "c-note"]) {
    const line = $(id);
    if (!line) continue;
    line.textContent = text;
    line.hidden = !text;
  }
}

async function askCamera() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    throw Object.assign(new Error("no media devices"), { name: "NoMediaDevices" });
  }
  return navigator.mediaDevices.getUserMedia({ video: true, audio: false });
}

// ---- the switch on the start screen --------------------------------------------------------
// Shown only when an item of this session has a rule. Off by default; the choice is kept in
// this browser. The browser asks for the camera only when it is switched on.
export function setUp(items, { speak }) {
  state.speak = speak;
  const choice = $("camera-choice");
  const box = $("opt-camera");
  if (!choice || !box || !items.some((item) => item.camera)) return;
  choice.hidden = false;
  state.on = stored(STORE_KEY, "off") === "on";
  box.checked = state.on;
  box.addEventListener("change", async () => {
    note("");
    if (!box.checked) { state.on = false; store(STORE_KEY, "off"); return; }
    state.asking = true; // an item starting meanwhile opens the camera (and finds out) itself
    try {
      const stream = await askCamera(); // the permission prompt, on this tap
      for (const track of stream.getTracks()) track.stop();
      state.on = box.checked;
      state.broken = false;
      store(STORE_KEY, state.on ? "on" : "off");
    } catch (error) {
      box.checked = false;
      state.on = false;
      store(STORE_KEY, "off");
      note(problem(error));
    } finally {
      state.asking = false;
    }
  });
  const outline = $("c-skeleton");
  const showOutline = (on) => {
    outline.setAttribute("aria-pressed", String(on));
    $("c-overlay").hidden = !on;
  };
  showOutline(stored(OUTLINE_KEY, "on") !== "off");
  outline.addEventListener("click", () => {
    const on = outline.getAttribute("aria-pressed") !== "true";
    store(OUTLINE_KEY, on ? "on" : "off");
    showOutline(on);
  });
  $("c-without").addEventListener("click", () => { if (state.active) state.active.withoutCamera(); });
}

// The camera for this item: null when it plays without (switched off, no rule, or broken).
export function forItem(item) {
  const line = $("c-note");
  if (line) line.hidden = true; // a camera problem is told once, on the item it happened on
  if (!(state.on || state.asking) || state.broken || !item.camera || !$("c-view")) return null;
  return new ItemCamera(item);
}

// Pause stops the camera (every track); resume opens it again. So does hiding the tab.
export function pause(paused, wake = true) {
  state.paused = paused;
  if (!state.active) return;
  if (paused) state.active.sleep(); else if (wake) state.active.wake();
}
document.addEventListener("visibilitychange", () => {
  if (!state.active) return;
  if (document.visibilityState === "hidden") state.active.sleep();
  else if (!state.paused) state.active.wake();
});

// ---- the outline over the preview ------------------------------------------------------------
const BONES = [
  [11, 12], [11, 13], [13, 15], [12, 14], [14, 16], [11, 23], [12, 24], [23, 24],
  [23, 25], [25, 27], [27, 31], [24, 26], [26, 28], [28, 32], [0, 11], [0, 12],
];

function drawOutline(canvas, video, image) {
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (!width || !height) return;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  if (!image || canvas.hidden) return;
  // The picture is letterboxed inside the box (object-fit: contain): the outline too.
  const aspect = (video.videoWidth || 4) / (video.videoHeight || 3);
  const boxW = Math.min(width, height * aspect);
  const boxH = boxW / aspect;
  const left = (width - boxW) / 2;
  const top = (height - boxH) / 2;
  const point = (p) => [left + p.x * boxW, top + p.y * boxH];
  const seen = (p) => p && (p.visibility ?? 1) >= 0.5;
  context.lineWidth = 4;
  context.lineCap = "round";
  context.strokeStyle = "rgba(255, 255, 255, 0.9)";
  context.fillStyle = "#1d4ed8";
  for (const [a, b] of BONES) {
    if (!seen(image[a]) || !seen(image[b])) continue;
    context.beginPath();
    context.moveTo(...point(image[a]));
    context.lineTo(...point(image[b]));
    context.stroke();
  }
  for (const index of [0, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]) {
    if (!seen(image[index])) continue;
    context.beginPath();
    context.arc(...point(image[index]), 4, 0, 2 * Math.PI);
    context.fill();
  }
}

// ---- one exercise with the camera ---------------------------------------------------------
// The player calls: setUpScreen() (resolves once the whole body has been in view for a
// second), block(side) before each hold or rep set, status() on each tick, end() when the
// item is over, and summary() for the result. Lines to say come through the speak callback.
class ItemCamera {
  constructor(item) {
    this.rule = item.camera;
    this.perSide = Boolean(item.per_side);
    this.stream = null;
    this.tracker = null;
    this.coach = null; // the coach of the hold or rep set now running (its lines are said)
    this.watcher = null; // a coach that only watches (set-up, countdowns): says nothing
    this.done = []; // finished coaches, for the summary
    this.last = { inFrame: false, inPosition: false, reps: 0, faults: [], lost: false };
    this.lastFrame = 0; // performance.now() when the last frame came
    this.lastT = 0; // that frame's own time stamp
    this.inViewSince = null;
    this.failed = null;
    this.without = false;
    this.ended = false;
    this.starting = null;
    this.modules = null;
    this.side = null;
    state.active = this;
  }

  async load() {
    if (!this.modules) {
      const [rules, tracker] = await Promise.all([import("./rules.js"), import("./tracker.js")]);
      this.modules = { rules, tracker };
    }
    return this.modules;
  }

  // Opens the camera and starts the tracker (again after a pause); shows the preview.
  async start() {
    if (this.ended || this.stream || this.starting) return this.starting;
    this.starting = (async () => {
      const video = $("c-video");
      try {
        const { tracker } = await this.load();
        const stream = await tracker.openCamera(video);
        if (this.ended || state.paused || document.visibilityState === "hidden") {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        this.stream = stream;
        if (video.srcObject !== stream) video.srcObject = stream;
        await video.play().catch(() => undefined);
        this.show(true);
        this.tracker = await tracker.startTracker(video, { onFrame: (frame) => this.frame(frame) });
        if (this.ended || !this.stream) this.stopTracker();
      } catch (error) {
        this.fail(error);
      } finally {
        this.starting = null;
      }
      // Paused and resumed while it was starting: start again, now that it may.
      if (!this.stream && this.wanted()) await this.start();
    })();
    return this.starting;
  }

  wanted() {
    return !this.ended && !this.without && this.failed === null && !state.paused &&
      document.visibilityState !== "hidden";
  }

  fail(error) {
    this.failed = problem(error);
    state.broken = true; // not asked again in this session: the rest plays without
    note(this.failed);
    state.speak(this.failed, false);
    this.end();
  }

  frame({ t, world, image }) {
    if (this.ended || !this.stream) return;
    this.lastFrame = performance.now();
    this.lastT = t;
    const live = this.coach || this.watcher;
    if (live) {
      const status = live.update(t, world || null);
      this.last = status;
      if (status.inFrame) { if (this.inViewSince === null) this.inViewSince = t; } else this.inViewSince = null;
      if (this.coach && status.say) state.speak(status.say);
    }
    drawOutline($("c-overlay"), $("c-video"), image);
    this.badge();
  }

  badge() {
    const badge = $("c-badge");
    const status = this.status();
    const text = !status.inFrame ? "Not in view" : status.inPosition ? "In position" : "Not in position";
    if (badge.textContent !== text) badge.textContent = text;
    badge.classList.toggle("good", status.inFrame && status.inPosition);
  }

  show(on) {
    $("c-view").hidden = !on;
    $("p-figure").hidden = on || !$("p-figure").getAttribute("src");
  }

  stopTracker() {
    if (this.tracker) { try { this.tracker.stop(); } catch (e) { /* already stopped */ } }
    this.tracker = null;
  }

  // Every track stopped: the camera light goes off.
  sleep() {
    this.stopTracker();
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
    const video = $("c-video");
    if (video) video.srcObject = null;
  }

  wake() {
    if (this.wanted()) this.start();
  }

  // The set-up screen: where to put the device, the preview, and a wait until the whole body
  // is in view for a second. `wait(until)` is the player's clock (pause, skip and "this hurts"
  // work as everywhere). Resolves "camera", "without" (the button), "failed" or "stopped".
  async setUpScreen(wait) {
    const { rules } = await this.load().catch((error) => { this.fail(error); return {}; });
    if (!rules) return "failed";
    this.watcher = new rules.CameraCoach(this.rule, { side: this.perSide ? "left" : null });
    $("c-place").textContent = this.rule.placement;
    $("c-wait").textContent = "Waiting until your whole body is in view…";
    $("c-setup").hidden = false;
    $("p-play").classList.add("camera-setting-up");
    this.show(true);
    state.speak(this.rule.placement);
    this.start();
    const inView = () => this.status().inFrame && this.sinceInView() >= IN_VIEW_MS;
    const ok = await wait(() => inView() || this.without || this.failed !== null);
    $("c-setup").hidden = true;
    $("p-play").classList.remove("camera-setting-up");
    if (!ok) { this.end(); return "stopped"; }
    if (this.failed) return "failed";
    if (this.without) return "without";
    $("c-wait").textContent = "";
    state.speak("I can see you.");
    return "camera";
  }

  sinceInView() {
    return this.inViewSince === null ? 0 : this.lastT - this.inViewSince;
  }

  withoutCamera() {
    this.without = true;
    this.end();
  }

  // A hold or a rep set begins: a fresh coach counts it (the working side for one-sided items).
  block(sideIndex) {
    if (!this.modules || this.ended) return;
    this.finishBlock();
    this.side = this.perSide ? (sideIndex === 1 ? "right" : "left") : null;
    this.coach = new this.modules.rules.CameraCoach(this.rule, { side: this.side });
    this.last = { inFrame: false, inPosition: false, reps: 0, faults: [], lost: false };
  }

  // Between blocks (switch sides, rests) the camera watches but says nothing.
  finishBlock() {
    if (this.coach) this.done.push(this.coach.summary());
    this.coach = null;
    if (this.modules) this.watcher = new this.modules.rules.CameraCoach(this.rule, { side: this.side });
  }

  // What the player needs now; `counting` is false while no fresh frame comes (paused, hidden).
  status() {
    const fresh = this.stream !== null && performance.now() - this.lastFrame < STALE_MS;
    return { ...this.last, inFrame: fresh && this.last.inFrame, inPosition: fresh && this.last.inPosition, fresh };
  }

  // Still watching: false once ended (the item is over, "Start without camera", or a failure).
  get live() { return !this.ended; }

  // The item's result carries the camera's numbers only when it watched to the end.
  get measured() { return this.done.length > 0 && !this.without && this.failed === null; }

  end() {
    if (this.coach) this.finishBlock();
    this.ended = true;
    this.sleep();
    this.show(false);
    drawOutline($("c-overlay"), $("c-video"), null);
    if (state.active === this) state.active = null;
  }

  // The numbers for the item log: the share of tracked time in position, and the faults seen.
  summary() {
    let inPosition = 0;
    let tracked = 0;
    const faults = [];
    for (const part of this.done) {
      inPosition += part.inPositionMs || 0;
      tracked += part.trackedMs || 0;
      for (const fault of part.faults || []) if (!faults.includes(fault)) faults.push(fault);
    }
    return {
      measured: true,
      form_score: tracked > 0 ? Math.round((inPosition / tracked) * 100) / 100 : null,
      faults: faults.slice(0, 8),
    };
  }
}
