// lumbo session player: countdowns, holds, reps, sides, rests, sounds and logging.
// One hand-written module, no dependencies. Each finished item is POSTed to the JSON API at
// once (kept in IndexedDB by offline.js until the server has it, and sent when back online),
// so nothing done is lost and a half-done session resumes where it stopped. Timers run on
// elapsed time, scaled by data.timerScale (1 in real use; tests speed it up).

import * as offline from "./offline.js";
import * as camera from "./camera/coach_ui.js";

const data = JSON.parse(document.getElementById("session-data").textContent);
const scale = data.timerScale > 0 ? data.timerScale : 1;
const $ = (id) => document.getElementById(id);
const painKey = `lumbo-pain-${data.sessionId}`;
const GET_READY = 5;
const SWITCH = 5;

const state = { paused: false, interrupt: null, wakeLock: null, playing: false, elapsed: 0 };

// ---- sound, speech and announcements -----------------------------------------------------
// The voice coach is on unless muted (the choice is kept in this browser). It uses the
// browser's own speech synthesis, nothing downloaded; where that is missing or fails, beeps
// mark the same moments (when beeps are on).
const voiceKey = "lumbo-voice";
const speech = window.speechSynthesis && window.SpeechSynthesisUtterance ? window.speechSynthesis : null;
const voice = { on: true, broken: false };
try { voice.on = localStorage.getItem(voiceKey) !== "off"; } catch (e) { /* private mode: on */ }
const speaking = () => voice.on && speech !== null && !voice.broken;
const plural = (count, word, words = `${word}s`) => `${count} ${count === 1 ? word : words}`;
const NUMBER_WORDS = ["zero", "one", "two", "three"];

let audio = null;
function beep(frequency = 880, ms = 140) {
  if (!$("opt-beep").checked) return;
  try {
    audio = audio || new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = frequency;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + ms / 1000);
  } catch (e) { /* no audio device: the visual timer is enough */ }
}

// Says one line (queued after what is being said); resolves once it is said or cannot be.
function say(text) {
  if (!text || !speaking()) return Promise.resolve();
  return new Promise((resolve) => {
    const line = new SpeechSynthesisUtterance(text);
    line.lang = document.documentElement.lang || "en";
    line.onend = () => resolve();
    line.onerror = (event) => {
      // No voice installed, no audio: beep from now on instead of talking to nobody.
      if (event && event.error && !["interrupted", "canceled"].includes(event.error)) voice.broken = true;
      resolve();
    };
    speech.speak(line);
  });
}
function hush() { if (speech) speech.cancel(); }

// Says the lines in turn and waits until the last is said: or a skip, or about as long as the
// words take (some browsers never report the end; the cap scales with the timers).
async function sayAll(lines) {
  if (!speaking()) return true;
  let said = false;
  Promise.all(lines.map(say)).then(() => { said = true; });
  const words = lines.join(" ").split(/\s+/).length;
  return wait(2 + words / 2, null, () => said);
}

// The last seconds of a hold: "three, two, one" aloud, or a short beep each.
function countTick(number) {
  if (speaking()) say(NUMBER_WORDS[number]); else beep(660, 90);
}

// Screen readers hear `text` (never every second); the voice says `spoken` (false: nothing).
function announce(text, spoken = text) {
  const live = $("p-live");
  live.textContent = "";
  // A fresh text node makes screen readers read the message even when it repeats.
  window.setTimeout(() => { live.textContent = text; }, 30);
  if (spoken) say(spoken === true ? text : spoken);
}

function showVoice() {
  const button = $("btn-voice");
  button.hidden = speech === null;
  button.setAttribute("aria-pressed", String(voice.on));
  if (speech === null) {
    $("voice-note").textContent = "This browser cannot speak, so lumbo beeps at the same moments instead (when beeps are on).";
  }
}

async function keepAwake(on) {
  try {
    if (on && "wakeLock" in navigator && !state.wakeLock) {
      state.wakeLock = await navigator.wakeLock.request("screen");
      state.wakeLock.addEventListener("release", () => { state.wakeLock = null; });
    } else if (!on && state.wakeLock) {
      await state.wakeLock.release();
      state.wakeLock = null;
    }
  } catch (e) { /* refused (battery saver, hidden tab): carry on without it */ }
}
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && state.playing && !state.paused) keepAwake(true);
});

// ---- the clock ----------------------------------------------------------------------------
// Waits `seconds` (scaled), calling tick(secondsLeft, fraction). Resolves true when the time
// is up or until() turns true, false when interrupted (skip, this hurts, set done). Pausing
// stops the clock; so does a gate() that says no (the camera: not in position).
function wait(seconds, tick, until = null, gate = null) {
  return new Promise((resolve) => {
    const total = seconds * 1000 * scale;
    let elapsed = 0;
    let last = performance.now();
    const step = Math.max(15, Math.min(100, total / 40));
    const timer = window.setInterval(() => {
      const now = performance.now();
      if (!state.paused && (!gate || gate())) elapsed += now - last;
      last = now;
      state.elapsed = elapsed / 1000 / scale;
      if (state.interrupt) { window.clearInterval(timer); resolve(false); return; }
      if (until && until()) { window.clearInterval(timer); resolve(true); return; }
      const left = Math.max(0, total - elapsed);
      if (tick) tick(left / 1000 / scale, total ? Math.min(1, elapsed / total) : 1);
      if (left <= 0) { window.clearInterval(timer); resolve(true); }
    }, step);
  });
}

// The big number (seconds left, or the rep count) and the ring filling as the step goes.
function showNumber(number, fraction, unit = "") {
  const clock = $("p-clock");
  const text = String(number);
  if (clock.textContent !== text) {
    clock.textContent = text;
    clock.classList.toggle("long", text.length > 2);
  }
  $("p-unit").textContent = unit;
  const done = Math.min(1, Math.max(0, fraction));
  const ring = $("p-ring");
  ring.style.strokeDashoffset = (100 - done * 100).toFixed(1);
  ring.style.strokeOpacity = done > 0.002 ? "1" : "0"; // no sliver of a ring at the start
}

function showClock(secondsLeft, fraction, withUnit = false) {
  const whole = Math.ceil(secondsLeft - 1e-6);
  showNumber(whole, fraction, withUnit ? (whole === 1 ? "second" : "seconds") : "");
}

function setPhase(text) { $("p-phase").textContent = text; }

// Work begins: the cues (read during "get ready") fold away so the number shows.
function go() { $("p-how").open = false; }

async function countdown(seconds, label, message, spoken = message) {
  setPhase(label);
  announce(message, spoken);
  let lastWhole = null;
  showClock(seconds, 0, label !== "Get ready");
  return wait(seconds, (left, fraction) => {
    showClock(left, fraction, label !== "Get ready");
    const whole = Math.ceil(left - 1e-6);
    if (whole !== lastWhole && whole <= 3 && whole > 0) beep(660, 90);
    lastWhole = whole;
  });
}

// Before each exercise the coach says its name, its dose and the first two cues.
async function introduce(item) {
  setPhase("Get ready");
  showClock(GET_READY, 0);
  hush();
  announce(`${item.name}. ${item.dose}. Get ready.`, false);
  return sayAll([item.name, item.dose, ...item.cues.slice(0, 2)]);
}

// With the camera, the hold's clock runs only while the coach sees the position held.
function holdPhase(cam) {
  if (!cam || !cam.live) return "Hold";
  const status = cam.status();
  if (status.inPosition) return "Hold";
  return status.lost ? "Back into position" : "Get into position";
}

async function hold(seconds, opening = "Go.", cam = null) {
  setPhase(holdPhase(cam));
  go();
  beep(990, 250);
  announce(`Go. Hold for ${plural(seconds, "second")}.`, opening);
  let half = false;
  let ten = false;
  let counted = 4;
  showClock(seconds, 0, true);
  const gate = cam ? () => !cam.live || cam.status().inPosition : null;
  const ok = await wait(seconds, (left, fraction) => {
    if (cam) setPhase(holdPhase(cam));
    showClock(left, fraction, true);
    if (!half && fraction >= 0.5 && seconds >= 20) { half = true; announce("Halfway."); }
    if (!ten && left <= 10 && seconds >= 25) { ten = true; announce("10 seconds left."); }
    // Each of the last three seconds is counted once, even when a late tick jumps one.
    const whole = Math.ceil(left - 1e-6);
    while (seconds > 3 && counted > Math.max(whole, 1)) { counted -= 1; countTick(counted); }
  }, null, gate);
  if (ok) { beep(990, 120); window.setTimeout(() => beep(990, 120), 200); }
  return ok;
}

// Counts reps at the catalogue's pace, aloud ("two", "three", ... "last one") or with a beep
// each; "Set done" ends the set early with every rep counted.
async function reps(item, counter, opening = "Go.", cam = null) {
  setPhase("Reps");
  go();
  const pace = item.seconds_per_rep || 3;
  $("btn-done").hidden = false;
  announce(`Go. ${plural(item.reps, "rep")}, at an easy pace.`, opening);
  beep(990, 250);
  let ok = true;
  if (cam && item.camera.rep) ok = await cameraReps(item, counter, cam);
  for (let rep = 1; !(cam && item.camera.rep) && rep <= item.reps; rep++) {
    $("p-reps").textContent = `Rep ${rep} of ${item.reps}`;
    if (rep > 1) say(rep === item.reps ? "Last one." : String(rep));
    showNumber(rep, (rep - 1) / item.reps, `of ${item.reps}`);
    ok = await wait(pace, (left, fraction) => {
      showNumber(rep, (rep - 1 + fraction) / item.reps, `of ${item.reps}`);
    });
    if (!ok) break;
    counter.reps = rep;
    if (rep === Math.ceil(item.reps / 2) && item.reps >= 8) announce(`${plural(item.reps - rep, "rep")} to go.`, false);
    if (!speaking()) beep(rep === item.reps - 1 ? 990 : 770, 60); // the last one beeps higher
  }
  if (state.interrupt === "done") { counter.reps = item.reps; state.interrupt = null; ok = true; }
  $("btn-done").hidden = true;
  return ok;
}

// The camera counts the reps (the pace clock does not); "Set done" still ends the set.
async function cameraReps(item, counter, cam) {
  let shown = -1;
  const show = () => {
    const status = cam.status();
    const count = Math.min(status.reps, item.reps);
    setPhase(!status.inFrame ? "Get into view" : "Reps");
    if (count === shown) return;
    shown = count;
    counter.reps = count;
    $("p-reps").textContent = `${plural(count, "rep")} of ${item.reps}`;
    showNumber(count, count / item.reps, `of ${item.reps}`);
    if (count === 0) return;
    if (count === item.reps - 1) say("Last one.");
    else if (count < item.reps) say(String(count));
    if (count === Math.ceil(item.reps / 2) && item.reps >= 8) announce(`${plural(item.reps - count, "rep")} to go.`, false);
    if (!speaking()) beep(count === item.reps - 1 ? 990 : 770, 60);
  };
  show();
  // Without the camera any more (it failed), the pace clock counts what is left.
  const ok = await wait(Infinity, show, () => counter.reps >= item.reps || !cam.live);
  if (ok && !cam.live && counter.reps < item.reps) {
    for (let rep = counter.reps + 1; rep <= item.reps; rep++) {
      showNumber(rep, (rep - 1) / item.reps, `of ${item.reps}`);
      if (!(await wait(item.seconds_per_rep || 3, null))) return false;
      counter.reps = rep;
    }
  }
  return ok;
}

// ---- one item ------------------------------------------------------------------------------
function showItem(item, number) {
  $("p-count").textContent = String(number);
  $("p-name").textContent = item.name;
  $("p-dose").textContent = item.dose;
  const figure = $("p-figure");
  if (item.figure) { figure.src = item.figure; figure.hidden = false; } else { figure.hidden = true; }
  figure.classList.remove("other-side");
  const cues = $("p-cues");
  cues.replaceChildren(...item.cues.map((cue) => {
    const li = document.createElement("li");
    li.textContent = cue;
    return li;
  }));
  const learn = $("p-learn");
  if (item.lesson) {
    const link = $("p-learn-link");
    link.href = item.lesson.href;
    link.textContent = `Learn why: ${item.lesson.title} (opens in a new tab)`;
    learn.hidden = false;
  } else {
    learn.hidden = true;
  }
  $("p-side").textContent = "";
  $("p-reps").textContent = "";
  $("p-unit").textContent = "";
  $("p-saved").textContent = "";
}

// The camera's set-up screen, before "get ready": null when the item plays without it.
async function setUpCamera(item) {
  const cam = camera.forItem(item);
  if (!cam) return { cam: null, ok: true };
  setPhase("Set up");
  const how = await cam.setUpScreen((until) => wait(Infinity, null, until));
  if (how === "camera") return { cam, ok: true };
  cam.end();
  return { cam: null, ok: how !== "stopped" };
}

async function playItem(item) {
  const counter = { sets: 0, reps: 0 };
  const sides = item.per_side ? ["left side", "right side"] : [null];
  const { cam, ok: setUp } = await setUpCamera(item);
  let ok = setUp && await introduce(item);
  if (ok) ok = await countdown(GET_READY, "Get ready", "Get ready.", false);
  let held = 0;
  for (let set = 1; ok && set <= item.sets; set++) {
    for (let s = 0; ok && s < sides.length; s++) {
      if (s > 0) {
        $("p-side").textContent = `Switch to the ${sides[s]}`;
        beep(520, 200);
        ok = await countdown(SWITCH, "Switch sides", "Switch sides.");
        if (!ok) break;
      }
      // Per-side exercises: the figure shows the left side working; for the right side it is
      // flipped, which is exactly the mirror image (the coloured limbs become the right ones).
      $("p-figure").classList.toggle("other-side", s === 1);
      $("p-side").textContent = sides[s] ? `Now: ${sides[s]}` + (item.sets > 1 ? `, set ${set} of ${item.sets}` : "")
        : (item.sets > 1 ? `Set ${set} of ${item.sets}` : "");
      // "Last one" as the last of several sets starts (reps also hear it on the last rep).
      const last = item.sets > 1 && set === item.sets && s === 0;
      const opening = last ? (item.hold_seconds ? "Last one. Go." : "Last set. Go.") : "Go.";
      const watching = cam && cam.live ? cam : null;
      if (watching) watching.block(s);
      if (item.hold_seconds) {
        ok = await hold(item.hold_seconds, opening, watching);
        held = ok ? item.hold_seconds : Math.floor(state.elapsed);
      } else {
        counter.reps = 0;
        ok = await reps(item, counter, opening, watching);
      }
      if (watching) watching.finishBlock();
    }
    if (ok) counter.sets = set;
    if (ok && set < item.sets && item.rest_seconds > 0) {
      $("p-side").textContent = "";
      ok = await countdown(item.rest_seconds, "Rest", `Rest for ${plural(item.rest_seconds, "second")}.`, "Rest.");
      if (!ok && state.interrupt === "skip") { state.interrupt = null; ok = true; } // skip the rest only
    }
  }
  const how = state.interrupt;
  state.interrupt = null;
  if (cam) cam.end(); // every track stopped: the camera is off between items
  const result = {
    exercise: item.exercise,
    variation: item.variation,
    position: item.position,
    completed: ok,
    sets: ok ? item.sets : counter.sets,
    hold_seconds: item.hold_seconds ? held : null,
    reps: item.reps ? (ok ? item.reps : counter.reps) : null,
    // Done items start "about right" (changed at the end); a skipped item was not done, so
    // it is never rated; "This hurts" is painful.
    rating: how === "hurt" ? "pain" : (!ok && how === "skip") ? null : "right",
    skipped: !ok && how === "skip",
  };
  // Camera-checked: the share of time in position and the faults seen (numbers only).
  if (cam && cam.measured) Object.assign(result, cam.summary());
  if (ok) announce(`${item.name} done.`);
  return { result, how };
}

// ---- saving ---------------------------------------------------------------------------------
// offline.js stores each result (IndexedDB) before it is sent, and sends what waits in order:
// at once, when the browser is back online, and on the next page load.
function savedMessage(report) {
  if (report.refused) {
    // Refused for good (e.g. 409: the session was finished in another tab): say why, once.
    const reason = report.refused;
    return `Not saved: ${reason.charAt(0).toUpperCase()}${reason.slice(1).replace(/\.$/, "")}.`;
  }
  if (report.left) {
    return navigator.onLine ? "Not saved yet: lumbo will try again."
      : "Not saved yet: you are offline. lumbo keeps it on this device and sends it when you are back online.";
  }
  return "Saved.";
}

// Sends every waiting result, oldest first; true when none is left waiting.
async function flush() {
  const report = await offline.flush();
  $("p-saved").textContent = savedMessage(report);
  return report.left === 0;
}

async function save(result) {
  try {
    await offline.enqueue(result, data.itemUrl);
  } catch (e) {
    // No IndexedDB here (a locked-down private window): send it straight away instead.
    const report = await offline.sendNow(result, data.itemUrl);
    $("p-saved").textContent = savedMessage(report);
    return report.left === 0;
  }
  return flush();
}

// Under the end form's button: why the session was not finished yet.
function finishNote(text) {
  let note = $("finish-saved");
  if (!note) {
    note = document.createElement("p");
    note.id = "finish-saved";
    note.className = "note note-warn";
    note.setAttribute("role", "status");
    $("finish-form").append(note);
  }
  note.textContent = text;
  note.hidden = text === "";
}

// ---- the whole session ----------------------------------------------------------------------
// The end screen lists each logged item: a rating control pre-filled with its rating, or, for
// a skipped item, the word "skipped" and no control (a skipped item is never rated).
function markLogged(result, setRating = true) {
  const row = document.getElementById(`rating_${result.position}`);
  if (!row) return;
  const skipped = Boolean(result.skipped);
  row.hidden = skipped;
  row.disabled = skipped;
  const skippedLine = document.getElementById(`skipped_${result.position}`);
  if (skippedLine) skippedLine.hidden = !skipped;
  const radio = skipped ? null : row.querySelector(`input[value="${result.rating}"]`);
  if (radio && setRating) radio.checked = true;
  $("nothing-logged").hidden = true;
}

function showOnly(id) {
  for (const section of ["p-start", "p-play", "p-hurt", "p-finish"]) $(section).hidden = section !== id;
}

async function finish() {
  state.playing = false;
  keepAwake(false);
  await flush();
  showOnly("p-finish");
  // Pain before was asked on the first screen: the field is there only when the server had
  // none stored when the page loaded. Filled from the start screen, and hidden once stored.
  const painBefore = $("pain_before");
  const painStart = $("pain-start").value || localStorage.getItem(painKey) || "";
  if (painBefore && painStart && !painBefore.value) painBefore.value = painStart;
  if (painBefore && painBefore.value && state.painStored) $("pain-before-field").hidden = true;
  announce("Session complete. How much does your back hurt now? Everything about right?");
  $("p-finish-h").focus();
}

// Stores the pain before with the session on the server, so any device can finish it.
async function storePainBefore(pain) {
  try {
    const response = await fetch(`/api/v1/sessions/${data.sessionId}/pain-before`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ pain_before: Number(pain) }),
    });
    state.painStored = response.ok;
  } catch (e) { state.painStored = false; /* offline: the end screen asks again */ }
}

function waitForChoice() {
  return new Promise((resolve) => {
    $("btn-go-on").onclick = () => resolve("go-on");
    $("btn-end").onclick = () => resolve("end");
  });
}

async function run() {
  state.playing = true;
  keepAwake(true);
  const todo = data.items.filter((item) => !item.logged);
  for (let i = 0; i < todo.length; i++) {
    const item = todo[i];
    showOnly("p-play");
    showItem(item, data.items.indexOf(item) + 1);
    if (i === 0) $("p-name").focus();
    const { result, how } = await playItem(item);
    markLogged(result);
    await save(result);
    if (how === "hurt") {
      keepAwake(false);
      showOnly("p-hurt");
      $("p-hurt-h").focus();
      announce("Stopped. That exercise is logged as painful.");
      const choice = await waitForChoice();
      if (choice === "end") break;
      keepAwake(true);
      showOnly("p-play");
    }
    const next = todo[i + 1];
    if (next && item.rest_seconds > 0 && how !== "hurt") {
      showItem(next, data.items.indexOf(next) + 1);
      $("p-side").textContent = "";
      await countdown(item.rest_seconds, "Rest", `Rest. Next: ${next.name}.`);
      state.interrupt = null;
    }
  }
  await finish();
}

// ---- controls -------------------------------------------------------------------------------
function setPaused(paused) {
  state.paused = paused;
  $("btn-pause").textContent = paused ? "Resume" : "Pause";
  $("player").classList.toggle("paused", paused);
  announce(paused ? "Paused." : "Resumed.", false);
  if (paused) hush();
  keepAwake(!paused);
  camera.pause(paused); // the camera is off while paused, and on again on resume
}
$("btn-pause").addEventListener("click", () => setPaused(!state.paused));
$("btn-skip").addEventListener("click", () => { hush(); state.paused = false; state.interrupt = "skip"; resetPause(); });
$("btn-hurts").addEventListener("click", () => { hush(); state.paused = false; state.interrupt = "hurt"; resetPause(); });
// The camera's lines (a correction, "back into position") go through the voice coach.
camera.setUp(data.items, { speak: (text, spoken = text) => announce(text, spoken) });
$("btn-done").addEventListener("click", () => { state.interrupt = "done"; });
function resetPause() {
  $("btn-pause").textContent = "Pause";
  $("player").classList.remove("paused");
  camera.pause(false, false); // the item stops: no need to open the camera again
}

// Voice on or off, remembered in this browser.
$("btn-voice").addEventListener("click", () => {
  voice.on = !voice.on;
  try { localStorage.setItem(voiceKey, voice.on ? "on" : "off"); } catch (e) { /* private mode */ }
  if (!voice.on) hush();
  showVoice();
});
showVoice();

// Exit: while playing it asks first, and the clock waits meanwhile; otherwise it just leaves.
const exitDialog = $("exit-dialog");
$("btn-exit").addEventListener("click", (event) => {
  if (!state.playing || typeof exitDialog.showModal !== "function") return;
  event.preventDefault();
  const wasPaused = state.paused;
  if (!wasPaused) setPaused(true);
  exitDialog.addEventListener("close", () => { if (!wasPaused) setPaused(false); }, { once: true });
  exitDialog.showModal();
  $("btn-stay").focus();
});
$("btn-stay").addEventListener("click", () => exitDialog.close());

$("btn-begin").addEventListener("click", () => {
  const pain = $("pain-start").value;
  if (pain !== "") { try { localStorage.setItem(painKey, pain); } catch (e) { /* ignore */ } }
  if (/^([0-9]|10)$/.test(pain)) storePainBefore(pain);
  if ($("opt-beep").checked) beep(440, 60); // unlocks audio on the first user gesture
  run();
});

$("finish-form").addEventListener("submit", async (event) => {
  event.preventDefault(); // sent below, once every result has reached the server
  if (!navigator.onLine || (await offline.pending(data.itemUrl) && !(await flush()))) {
    finishNote(navigator.onLine
      ? "Not saved yet: lumbo cannot reach the server. Your results are kept on this device; press the button again in a moment."
      : "You are offline, so the session cannot be saved yet. Your results are kept on this device; press the button again when you are back online.");
    return;
  }
  finishNote("");
  // form.submit() sends no button: keep which one was pressed ("Yes, finish" or the ratings).
  if (event.submitter && event.submitter.name) {
    const pressed = document.createElement("input");
    pressed.type = "hidden";
    pressed.name = event.submitter.name;
    pressed.value = event.submitter.value;
    event.target.append(pressed);
  }
  event.target.submit();
});

// Results saved in this browser but not yet acknowledged count as done (flush sends them).
await offline.started; // results from the old localStorage queue are moved in first
for (const result of await offline.waiting(data.itemUrl)) {
  const item = data.items.find((candidate) => candidate.position === result.position);
  if (item && !item.logged) item.logged = result;
}
for (const item of data.items) {
  if (item.logged) markLogged({ ...item.logged, position: item.position }, !data.finishing);
}
if (data.finishing) {
  showOnly("p-finish");
} else if (data.items.every((item) => item.logged)) {
  finish();
} else {
  const saved = localStorage.getItem(painKey);
  if (saved) $("pain-start").value = saved;
  flush();
}
