// lumbo session player: countdowns, holds, reps, sides, rests, sounds and logging.
// One hand-written module, no dependencies. Each finished item is POSTed to the JSON API at
// once (retried, and queued in localStorage if the server is away), so nothing done is lost
// and a half-done session resumes where it stopped. Timers run on elapsed time, scaled by
// data.timerScale (1 in real use; tests speed it up).

const data = JSON.parse(document.getElementById("session-data").textContent);
const scale = data.timerScale > 0 ? data.timerScale : 1;
const $ = (id) => document.getElementById(id);
const queueKey = `lumbo-queue-${data.sessionId}`;
const painKey = `lumbo-pain-${data.sessionId}`;
const GET_READY = 5;
const SWITCH = 5;

const state = { paused: false, interrupt: null, wakeLock: null, playing: false, elapsed: 0 };

// ---- sound, speech and announcements -----------------------------------------------------
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

function announce(text, speak = true) {
  const live = $("p-live");
  live.textContent = "";
  // A fresh text node makes screen readers read the message even when it repeats.
  window.setTimeout(() => { live.textContent = text; }, 30);
  if (speak && $("opt-voice").checked && "speechSynthesis" in window) {
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
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
// is up, false when interrupted (skip, this hurts, set done). Pausing stops the clock.
function wait(seconds, tick) {
  return new Promise((resolve) => {
    const total = seconds * 1000 * scale;
    let elapsed = 0;
    let last = performance.now();
    const step = Math.max(15, Math.min(100, total / 40));
    const timer = window.setInterval(() => {
      const now = performance.now();
      if (!state.paused) elapsed += now - last;
      last = now;
      state.elapsed = elapsed / 1000 / scale;
      if (state.interrupt) { window.clearInterval(timer); resolve(false); return; }
      const left = Math.max(0, total - elapsed);
      if (tick) tick(left / 1000 / scale, total ? Math.min(1, elapsed / total) : 1);
      if (left <= 0) { window.clearInterval(timer); resolve(true); }
    }, step);
  });
}

function showClock(secondsLeft, fraction) {
  $("p-clock").textContent = String(Math.ceil(secondsLeft - 1e-6));
  $("p-bar").value = Math.round(fraction * 1000);
}

function setPhase(text) { $("p-phase").textContent = text; }

async function countdown(seconds, label, message) {
  setPhase(label);
  announce(message);
  let lastWhole = null;
  return wait(seconds, (left, fraction) => {
    showClock(left, fraction);
    const whole = Math.ceil(left - 1e-6);
    if (whole !== lastWhole && whole <= 3 && whole > 0) beep(660, 90);
    lastWhole = whole;
  });
}

async function hold(seconds) {
  setPhase("Hold");
  beep(990, 250);
  announce(`Go. Hold for ${seconds} seconds.`);
  let half = false;
  let ten = false;
  const ok = await wait(seconds, (left, fraction) => {
    showClock(left, fraction);
    if (!half && fraction >= 0.5 && seconds >= 20) { half = true; announce("Halfway."); }
    if (!ten && left <= 10 && seconds >= 25) { ten = true; announce("10 seconds left."); }
  });
  if (ok) { beep(990, 120); window.setTimeout(() => beep(990, 120), 200); }
  return ok;
}

// Counts reps at the catalogue's pace; "Set done" ends the set early with every rep counted.
async function reps(item, counter) {
  setPhase("Reps");
  const pace = item.seconds_per_rep || 3;
  $("p-reps").hidden = false;
  $("btn-done").hidden = false;
  announce(`Go. ${item.reps} reps, at an easy pace.`);
  beep(990, 250);
  let ok = true;
  for (let rep = 1; rep <= item.reps; rep++) {
    $("p-reps").textContent = `Rep ${rep} of ${item.reps}`;
    ok = await wait(pace, (left, fraction) => {
      showClock(left + (item.reps - rep) * pace, (rep - 1 + fraction) / item.reps);
    });
    if (!ok) break;
    counter.reps = rep;
    if (rep === Math.ceil(item.reps / 2) && item.reps >= 8) announce(`${item.reps - rep} to go.`, false);
    beep(770, 60);
  }
  if (state.interrupt === "done") { counter.reps = item.reps; state.interrupt = null; ok = true; }
  $("btn-done").hidden = true;
  return ok;
}

// ---- one item ------------------------------------------------------------------------------
function showItem(item, number) {
  $("p-count").textContent = String(number);
  $("p-name").textContent = item.name;
  $("p-dose").textContent = item.dose;
  const figure = $("p-figure");
  if (item.figure) { figure.src = item.figure; figure.hidden = false; } else { figure.hidden = true; }
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
  $("p-reps").hidden = true;
  $("p-saved").textContent = "";
}

async function playItem(item) {
  const counter = { sets: 0, reps: 0 };
  const sides = item.per_side ? ["left side", "right side"] : [null];
  let ok = await countdown(GET_READY, "Get ready", `${item.name}. Get ready.`);
  let held = 0;
  for (let set = 1; ok && set <= item.sets; set++) {
    for (let s = 0; ok && s < sides.length; s++) {
      if (s > 0) {
        $("p-side").textContent = `Switch to the ${sides[s]}`;
        beep(520, 200);
        ok = await countdown(SWITCH, "Switch sides", "Switch sides.");
        if (!ok) break;
      }
      $("p-side").textContent = sides[s] ? `Now: ${sides[s]}` + (item.sets > 1 ? `, set ${set} of ${item.sets}` : "")
        : (item.sets > 1 ? `Set ${set} of ${item.sets}` : "");
      if (item.hold_seconds) {
        ok = await hold(item.hold_seconds);
        held = ok ? item.hold_seconds : Math.floor(state.elapsed);
      } else {
        counter.reps = 0;
        ok = await reps(item, counter);
      }
    }
    if (ok) counter.sets = set;
    if (ok && set < item.sets && item.rest_seconds > 0) {
      $("p-side").textContent = "";
      ok = await countdown(item.rest_seconds, "Rest", `Rest for ${item.rest_seconds} seconds.`);
      if (!ok && state.interrupt === "skip") { state.interrupt = null; ok = true; } // skip the rest only
    }
  }
  const how = state.interrupt;
  state.interrupt = null;
  const result = {
    exercise: item.exercise,
    variation: item.variation,
    position: item.position,
    completed: ok,
    sets: ok ? item.sets : counter.sets,
    hold_seconds: item.hold_seconds ? held : null,
    reps: item.reps ? (ok ? item.reps : counter.reps) : null,
    rating: how === "hurt" ? "pain" : "right",
  };
  if (ok) announce(`${item.name} done.`);
  return { result, how };
}

// ---- saving ---------------------------------------------------------------------------------
function queued() {
  try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; }
}
function setQueue(items) {
  try { localStorage.setItem(queueKey, JSON.stringify(items)); } catch (e) { /* private mode */ }
}

async function post(result) {
  const response = await fetch(data.itemUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(result),
  });
  if (!response.ok && response.status >= 500) throw new Error(`server answered ${response.status}`);
  if (response.ok) return null;
  // Refused for good (e.g. 409: the session was finished in another tab): say why, once.
  try { return (await response.json()).detail || `refused (${response.status})`; } catch (e) { return `refused (${response.status})`; }
}

async function save(result) {
  setQueue([...queued().filter((r) => r.position !== result.position), result]);
  return flush();
}

// Sends every queued result, oldest first; keeps those that could not be sent.
async function flush() {
  let waiting = queued();
  let refused = null;
  for (let attempt = 0; waiting.length && attempt < 3; attempt++) {
    const left = [];
    for (const result of waiting) {
      try {
        const refusal = await post(result);
        if (refusal) refused = refusal;
      } catch (e) { left.push(result); }
    }
    waiting = left;
    setQueue(waiting);
    if (waiting.length) await new Promise((r) => window.setTimeout(r, 500 * (attempt + 1)));
  }
  const message = refused
    ? `Not saved: ${refused.charAt(0).toUpperCase()}${refused.slice(1).replace(/\.$/, "")}.`
    : waiting.length ? "Not saved yet: lumbo will try again." : "Saved.";
  $("p-saved").textContent = message;
  return waiting.length === 0;
}

// ---- the whole session ----------------------------------------------------------------------
function markLogged(result, setRating = true) {
  const row = document.getElementById(`rating_${result.position}`);
  if (!row) return;
  row.hidden = false;
  row.disabled = false;
  const radio = row.querySelector(`input[value="${result.rating}"]`);
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
  const painStart = $("pain-start").value || localStorage.getItem(painKey) || "";
  if (painStart && !$("pain_before").value) $("pain_before").value = painStart;
  announce("Session complete. Please rate each exercise and your pain now.");
  $("p-finish-h").focus();
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
$("btn-pause").addEventListener("click", () => {
  state.paused = !state.paused;
  $("btn-pause").textContent = state.paused ? "Resume" : "Pause";
  announce(state.paused ? "Paused." : "Resumed.", false);
  keepAwake(!state.paused);
});
$("btn-skip").addEventListener("click", () => { state.paused = false; state.interrupt = "skip"; resetPause(); });
$("btn-hurts").addEventListener("click", () => { state.paused = false; state.interrupt = "hurt"; resetPause(); });
$("btn-done").addEventListener("click", () => { state.interrupt = "done"; });
function resetPause() { $("btn-pause").textContent = "Pause"; }

$("btn-begin").addEventListener("click", () => {
  const pain = $("pain-start").value;
  if (pain !== "") { try { localStorage.setItem(painKey, pain); } catch (e) { /* ignore */ } }
  if ($("opt-beep").checked) beep(440, 60); // unlocks audio on the first user gesture
  run();
});

$("finish-form").addEventListener("submit", async (event) => {
  if (queued().length === 0) return;
  event.preventDefault();
  await flush();
  event.target.submit();
});

// Results saved in this browser but not yet acknowledged count as done (flush sends them).
for (const result of queued()) {
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
