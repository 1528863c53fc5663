// lumbo camera coach: the rule evaluator. Pure (no DOM, no network, no clock of its own): the
// tracker hands it one frame of MediaPipe world landmarks at a time with the frame's time, and
// it answers whether the person is in frame and in position, how many reps they have done,
// which form faults are showing, and at most one short line to say. docs/camera.md describes
// the rule format; the rules themselves come from the catalogue, one per exercise.
//
// World landmarks are in metres, y pointing DOWN, so "up" is -y.
//
// Smoothing and timing, in one place:
// - every measure is the median of its last 3 frames (one wild frame cannot move it; costs
//   one frame of lag); the window empties when the person leaves the frame;
// - "in position" flips only after the new state has held for POSITION_SETTLE_MS;
// - "always"/"hold" faults become active after their condition has held for FAULT_SETTLE_MS
//   and drop as soon as it stops;
// - "top" faults are judged once per rep, on the extreme value of the rep, when the signal
//   comes back past `start`; an attempt that turns back inside the band is judged too (that
//   is what "not high enough" means), but only when it went at least a quarter of the way
//   from `start` to `end` and lasted FAULT_SETTLE_MS, so noise around `start` is ignored;
//   a top fault stays listed until the next attempt begins;
// - the visible side is chosen again at most once per SIDE_WINDOW_MS, from visibility
//   summed over the last SIDE_WINDOW_MS;
// - "lost" counts from the first frame the position clauses failed (the settling time is
//   part of it), so the pause comes lostMs after the slip itself; it lasts until "in
//   position" has settled again (a single good frame does not end it);
// - speech: a fault's cue when the fault becomes active, never within cueGapMs of the last
//   line (dropped, not queued); "Back into position." (with an active fault's cue, unless
//   that very cue was the last line, within cueGapMs: no need to say it twice) is said every
//   time "lost" starts, even within cueGapMs of a cue, and restarts the gap;
// - a gap between frames longer than MAX_FRAME_GAP_MS (the tracker stopped, the tab was
//   hidden) is not counted as tracked time.

export const LANDMARKS = Object.freeze({
  nose: 0, left_eye_inner: 1, left_eye: 2, left_eye_outer: 3, right_eye_inner: 4, right_eye: 5,
  right_eye_outer: 6, left_ear: 7, right_ear: 8, mouth_left: 9, mouth_right: 10,
  left_shoulder: 11, right_shoulder: 12, left_elbow: 13, right_elbow: 14, left_wrist: 15,
  right_wrist: 16, left_pinky: 17, right_pinky: 18, left_index: 19, right_index: 20,
  left_thumb: 21, right_thumb: 22, left_hip: 23, right_hip: 24, left_knee: 25, right_knee: 26,
  left_ankle: 27, right_ankle: 28, left_heel: 29, right_heel: 30, left_foot_index: 31,
  right_foot_index: 32,
});

/** Names that mean "this joint on the side being watched". */
export const SIDELESS = Object.freeze([
  "shoulder", "elbow", "wrist", "hip", "knee", "ankle", "ear", "heel", "foot_index",
  "eye", "pinky", "index", "thumb",
]);

export const VISIBLE_ENOUGH = 0.5;
export const POSITION_SETTLE_MS = 300;
export const FAULT_SETTLE_MS = 500;
export const SIDE_WINDOW_MS = 1000;
export const MAX_FRAME_GAP_MS = 1000;
const SMOOTH_FRAMES = 3;
const ATTEMPT_SHARE = 0.25;
export const BACK_INTO_POSITION = "Back into position.";

const other = (side) => (side === "left" ? "right" : "left");

/**
 * The landmark indices a point name stands for on `side` ("left" | "right"): one index for a
 * joint, two for a midpoint. Throws on a name that is not a landmark.
 */
export function resolve(name, side) {
  if (Object.hasOwn(LANDMARKS, name)) return [LANDMARKS[name]];
  // "mid_hip" etc.: halfway between the two sides (any side-less joint has one).
  if (name.startsWith("mid_") && SIDELESS.includes(name.slice(4))) {
    const joint = name.slice(4);
    return [LANDMARKS[`left_${joint}`], LANDMARKS[`right_${joint}`]];
  }
  let joint = name;
  let useSide = side;
  if (name.startsWith("other_")) {
    joint = name.slice(6);
    useSide = side === "left" || side === "right" ? other(side) : side;
  }
  if (SIDELESS.includes(joint)) {
    if (useSide !== "left" && useSide !== "right") {
      throw new Error(`"${name}" needs a side ("left" or "right")`);
    }
    return [LANDMARKS[`${useSide}_${joint}`]];
  }
  throw new Error(`unknown landmark "${name}"`);
}

/** The point a name stands for, with the smaller visibility of its parts; null if missing. */
export function point(name, world, side) {
  if (!Array.isArray(world)) return null;
  const parts = resolve(name, side).map((index) => world[index]);
  if (parts.some((p) => !p || !Number.isFinite(p.x) || !Number.isFinite(p.y) || !Number.isFinite(p.z))) {
    return null;
  }
  const n = parts.length;
  return {
    x: parts.reduce((sum, p) => sum + p.x, 0) / n,
    y: parts.reduce((sum, p) => sum + p.y, 0) / n,
    z: parts.reduce((sum, p) => sum + p.z, 0) / n,
    visibility: Math.min(...parts.map((p) => (Number.isFinite(p.visibility) ? p.visibility : 0))),
  };
}

const sub = (a, b) => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });
const dot = (a, b) => a.x * b.x + a.y * b.y + a.z * b.z;
const length = (v) => Math.sqrt(dot(v, v));
const degrees = (radians) => (radians * 180) / Math.PI;

function angleBetween(u, v) {
  const lengths = length(u) * length(v);
  if (!(lengths > 1e-12)) return null;
  return degrees(Math.acos(Math.max(-1, Math.min(1, dot(u, v) / lengths))));
}

function angleAt(a, b, c) {
  return angleBetween(sub(a, b), sub(c, b));
}

/** Bend at b off the line a–c: + when b is above the line (smaller y), - when below. */
function offsetAt(a, b, c) {
  const angle = angleAt(a, b, c);
  if (angle === null) return null;
  const line = sub(c, a);
  const span = dot(line, line);
  const t = span > 1e-12 ? Math.max(0, Math.min(1, dot(sub(b, a), line) / span)) : 0;
  const closestY = a.y + t * line.y;
  const bend = 180 - angle;
  return b.y > closestY ? -bend : bend;
}

/** Angle of a->b from straight up: 0 when b is right above a, 90 level, 180 right below. */
function tilt(a, b) {
  return angleBetween(sub(b, a), { x: 0, y: -1, z: 0 });
}

/** Distance a–b over distance c–d, both measured level (in the x–z plane). */
function ratio(a, b, c, d) {
  const level = (p, q) => Math.hypot(p.x - q.x, p.z - q.z);
  const over = level(c, d);
  return over > 1e-9 ? level(a, b) / over : null;
}

const KINDS = {
  angle: [3, angleAt],
  offset: [3, offsetAt],
  tilt: [2, tilt],
  ratio: [4, ratio],
};

/**
 * One measure of one frame: kind "angle" | "offset" | "tilt" (degrees) or "ratio" (no unit),
 * on the named points (side-less names on `side`). null when a point is missing or the
 * points coincide. Throws on an unknown kind, a wrong number of points or an unknown name.
 */
export function measure(kind, points, world, side = null) {
  if (!Object.hasOwn(KINDS, kind)) throw new Error(`unknown measure kind "${kind}"`);
  const [count, compute] = KINDS[kind];
  if (!Array.isArray(points) || points.length !== count) {
    throw new Error(`a "${kind}" measure takes ${count} points`);
  }
  const found = points.map((name) => point(name, world, side));
  if (found.some((p) => p === null)) return null;
  return compute(...found);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A boolean that flips only after the new value has held for `settleMs`. */
class Settled {
  constructor(settleMs) {
    this.settleMs = settleMs;
    this.value = false;
    this.since = null; // when the raw value started to differ from this.value
  }

  update(tMs, raw) {
    if (raw === this.value) {
      this.since = null;
    } else if (this.since === null) {
      this.since = tMs;
    }
    if (this.since !== null && tMs - this.since >= this.settleMs) {
      this.value = raw;
      this.since = null;
    }
    return this.value;
  }
}

/** Counts reps with hysteresis and reports each finished attempt with its extreme value. */
class RepCounter {
  constructor(rep) {
    this.start = rep.start;
    this.end = rep.end;
    this.up = rep.end > rep.start;
    this.reps = 0;
    this.phase = "waiting"; // waiting -> ready (start side) -> out (past start) -> top (past end)
    this.extreme = null;
    this.leftAt = null;
  }

  // How far past `start`, towards `end`, a value is (positive means towards end).
  ahead(value, mark) {
    return this.up ? value - mark : mark - value;
  }

  /** Feed one value; returns null or {counted, extreme, durationMs} when an attempt ends. */
  update(tMs, value) {
    const pastStart = this.ahead(value, this.start) > 0;
    const pastEnd = this.ahead(value, this.end) >= 0;
    if (this.phase === "waiting" || this.phase === "ready") {
      if (!pastStart) {
        this.phase = "ready";
      } else if (this.phase === "ready") {
        this.phase = pastEnd ? "top" : "out";
        this.extreme = value;
        this.leftAt = tMs;
      }
      return null;
    }
    this.extreme = this.up ? Math.max(this.extreme, value) : Math.min(this.extreme, value);
    if (pastEnd) this.phase = "top";
    if (pastStart) return null;
    const attempt = { counted: this.phase === "top", extreme: this.extreme, durationMs: tMs - this.leftAt };
    if (attempt.counted) this.reps += 1;
    this.phase = "ready";
    this.extreme = null;
    return attempt;
  }

  /** True when an attempt that did not reach `end` went far and long enough to be judged. */
  worthJudging(attempt) {
    if (attempt.counted) return true;
    const reached = this.ahead(attempt.extreme, this.start);
    return reached >= ATTEMPT_SHARE * Math.abs(this.end - this.start) && attempt.durationMs >= FAULT_SETTLE_MS;
  }

  get moving() {
    return this.phase === "out" || this.phase === "top";
  }
}

const WHEN = ["always", "hold", "top"];

/** Throws a plain error naming the first thing wrong with a rule, so a bad rule fails at once. */
export function checkRule(rule) {
  const problem = (text) => {
    throw new Error(`camera rule${rule && rule.exercise ? ` for ${rule.exercise}` : ""}: ${text}`);
  };
  if (!rule || typeof rule !== "object") problem("missing");
  const measures = rule.measures || {};
  for (const [name, spec] of Object.entries(measures)) {
    if (!Object.hasOwn(KINDS, spec.kind)) problem(`measure "${name}" has an unknown kind`);
    if (!Array.isArray(spec.points) || spec.points.length !== KINDS[spec.kind][0]) {
      problem(`measure "${name}" needs ${KINDS[spec.kind][0]} points`);
    }
    for (const point of spec.points) resolve(point, "left");
  }
  for (const name of rule.needs || []) resolve(name, "left");
  const known = (name) => Object.hasOwn(measures, name);
  for (const clause of rule.position || []) {
    if (!known(clause.measure)) problem(`position uses an unknown measure "${clause.measure}"`);
  }
  if (rule.rep) {
    if (!known(rule.rep.measure)) problem(`rep uses an unknown measure "${rule.rep.measure}"`);
    if (!(Number.isFinite(rule.rep.start) && Number.isFinite(rule.rep.end) && rule.rep.start !== rule.rep.end)) {
      problem("rep needs two different numbers, start and end");
    }
  }
  for (const fault of rule.faults || []) {
    if (!known(fault.measure)) problem(`fault "${fault.id}" uses an unknown measure "${fault.measure}"`);
    if (("below" in fault) === ("above" in fault)) problem(`fault "${fault.id}" needs one of below or above`);
    if (!WHEN.includes(fault.when)) problem(`fault "${fault.id}" has an unknown "when"`);
    if (fault.when === "top" && !rule.rep) problem(`fault "${fault.id}" is judged per rep but there are no reps`);
  }
}

const breaks = (fault, value) =>
  value !== null && ("below" in fault ? value < fault.below : value > fault.above);

/**
 * Follows one exercise's camera rule frame by frame (the rule format is in docs/camera.md).
 * update(tMs, world) takes the frame time in ms and 33 world landmarks (or null when nobody is
 * seen); summary() gives what the item log stores.
 */
export class CameraCoach {
  constructor(rule, { side = null, cueGapMs = 4000, lostMs = 1000 } = {}) {
    checkRule(rule);
    this.rule = rule;
    this.fixedSide = rule.side === "working" && (side === "left" || side === "right") ? side : null;
    this.cueGapMs = cueGapMs;
    this.lostMs = lostMs;
    this.measureNames = Object.keys(rule.measures || {});
    this.recent = Object.fromEntries(this.measureNames.map((name) => [name, []]));
    this.names = [...(rule.needs || [])];
    for (const spec of Object.values(rule.measures || {})) this.names.push(...spec.points);
    this.position = new Settled(POSITION_SETTLE_MS);
    this.reps = rule.rep ? new RepCounter(rule.rep) : null;
    this.faultSince = {}; // id -> time its condition started holding ("always"/"hold")
    this.active = new Set();
    this.topActive = new Set();
    this.atExtreme = {}; // every measure's value when the current rep was at its extreme
    this.seen = [];
    this.side = this.fixedSide;
    this.sideSamples = []; // [tMs, left sum, right sum]
    this.sideChosenAt = null;
    this.beenInPosition = false;
    this.failingSince = null;
    this.lostSaid = false;
    this.lastSaidAt = null;
    this.lastLine = null;
    this.lastT = null;
    this.lastInPosition = false;
    this.trackedMs = 0;
    this.inPositionMs = 0;
  }

  /** Summed visibility of the points this rule uses, if they were read on `side`. */
  visibilityOn(world, side) {
    let sum = 0;
    for (const name of this.names) {
      for (const index of resolve(name, side)) {
        const p = world[index];
        sum += p && Number.isFinite(p.visibility) ? p.visibility : 0;
      }
    }
    return sum;
  }

  chooseSide(tMs, world) {
    if (this.fixedSide) return this.fixedSide;
    if (Array.isArray(world)) {
      this.sideSamples.push([tMs, this.visibilityOn(world, "left"), this.visibilityOn(world, "right")]);
    }
    this.sideSamples = this.sideSamples.filter(([t]) => tMs - t < SIDE_WINDOW_MS);
    const due = this.sideChosenAt === null || tMs - this.sideChosenAt >= SIDE_WINDOW_MS;
    if (due && this.sideSamples.length > 0) {
      const left = this.sideSamples.reduce((sum, sample) => sum + sample[1], 0);
      const right = this.sideSamples.reduce((sum, sample) => sum + sample[2], 0);
      this.side = right > left ? "right" : "left";
      this.sideChosenAt = tMs;
    }
    return this.side || "left";
  }

  inFrame(world, side) {
    if (!Array.isArray(world)) return false;
    return (this.rule.needs || []).every((name) => {
      const p = point(name, world, side);
      return p !== null && p.visibility >= VISIBLE_ENOUGH;
    });
  }

  /** Smoothed values of every measure on this frame (null when not measurable). */
  measures(world, side, inFrame) {
    const values = {};
    for (const name of this.measureNames) {
      const recent = this.recent[name];
      const spec = this.rule.measures[name];
      const value = inFrame ? measure(spec.kind, spec.points, world, side) : null;
      if (value === null) {
        recent.length = 0;
        values[name] = null;
        continue;
      }
      recent.push(value);
      if (recent.length > SMOOTH_FRAMES) recent.shift();
      values[name] = median(recent);
    }
    return values;
  }

  update(tMs, world) {
    this.track(tMs);
    const side = this.chooseSide(tMs, world);
    const inFrame = this.inFrame(world, side);
    const values = this.measures(world, side, inFrame);
    const clausesHold =
      inFrame &&
      (this.rule.position || []).every((clause) => {
        const value = values[clause.measure];
        if (value === null || value === undefined) return false;
        return !(clause.min !== undefined && clause.min !== null && value < clause.min) &&
          !(clause.max !== undefined && clause.max !== null && value > clause.max);
      });
    const inPosition = this.position.update(tMs, clausesHold);
    this.lastInPosition = inPosition;
    if (inPosition) this.beenInPosition = true;
    // Lost counts from the first failing frame, so it comes lostMs after the slip itself.
    if (clausesHold) this.failingSince = null;
    else if (this.failingSince === null) this.failingSince = tMs;
    // Once lost, it stays lost until the position is back (settled), so a reading that
    // flickers about a limit does not start "lost" (and its line) again and again.
    const lost = this.beenInPosition && !inPosition &&
      (this.lostSaid || (this.failingSince !== null && tMs - this.failingSince > this.lostMs));
    if (!lost) this.lostSaid = false;

    const newlyActive = this.updateFaults(tMs, values, inFrame, inPosition);
    const faults = (this.rule.faults || []).map((f) => f.id).filter((id) => this.active.has(id));
    for (const id of faults) if (!this.seen.includes(id)) this.seen.push(id);

    let say = null;
    if (lost && !this.lostSaid) {
      // Always said, even right after a cue: pausing the timer without a word would puzzle.
      // It takes the gap's slot, so the next cue waits cueGapMs from here.
      this.lostSaid = true;
      const cue = (this.rule.faults || []).find((f) => this.active.has(f.id));
      const justSaid = cue && this.lastLine === cue.cue && tMs - this.lastSaidAt < this.cueGapMs;
      say = cue && !justSaid ? `${BACK_INTO_POSITION} ${cue.cue}` : BACK_INTO_POSITION;
      this.lastSaidAt = tMs;
      this.lastLine = say;
    } else if (newlyActive.length > 0) {
      say = newlyActive[0].cue;
      if (this.lastSaidAt !== null && tMs - this.lastSaidAt < this.cueGapMs) say = null;
      else {
        this.lastSaidAt = tMs;
        this.lastLine = say;
      }
    }
    return {
      inFrame, inPosition, reps: this.reps ? this.reps.reps : 0, faults, say, lost,
    };
  }

  track(tMs) {
    if (this.lastT !== null) {
      const gap = tMs - this.lastT;
      if (gap > 0 && gap <= MAX_FRAME_GAP_MS) {
        this.trackedMs += gap;
        if (this.lastInPosition) this.inPositionMs += gap;
      }
    }
    this.lastT = tMs;
  }

  /** Updates the active faults; returns the faults that became active on this frame. */
  updateFaults(tMs, values, inFrame, inPosition) {
    const before = new Set(this.active);
    const faults = this.rule.faults || [];
    for (const fault of faults) {
      if (fault.when === "top") continue;
      const watching = inFrame && (fault.when !== "hold" || inPosition);
      if (watching && breaks(fault, values[fault.measure] ?? null)) {
        if (this.faultSince[fault.id] === undefined) this.faultSince[fault.id] = tMs;
        if (tMs - this.faultSince[fault.id] >= FAULT_SETTLE_MS) this.active.add(fault.id);
      } else {
        delete this.faultSince[fault.id];
        this.active.delete(fault.id);
      }
    }
    const repValue = this.reps && inFrame ? values[this.rule.rep.measure] ?? null : null;
    if (repValue !== null) {
      const wasMoving = this.reps.moving;
      const extremeBefore = this.reps.extreme;
      const attempt = this.reps.update(tMs, repValue);
      if (!wasMoving && this.reps.moving) this.clearTopFaults();
      // Other measures are judged as they were when the rep measure was at its extreme.
      if (this.reps.moving && (!wasMoving || this.reps.extreme !== extremeBefore)) this.atExtreme = { ...values };
      if (attempt && this.reps.worthJudging(attempt)) {
        this.clearTopFaults();
        const atExtreme = { ...this.atExtreme, [this.rule.rep.measure]: attempt.extreme };
        for (const fault of faults) {
          if (fault.when === "top" && breaks(fault, atExtreme[fault.measure] ?? null)) {
            this.topActive.add(fault.id);
            this.active.add(fault.id);
          }
        }
      }
    }
    return faults.filter((f) => this.active.has(f.id) && !before.has(f.id));
  }

  clearTopFaults() {
    for (const id of this.topActive) this.active.delete(id);
    this.topActive.clear();
  }

  summary() {
    return {
      measured: true,
      inPositionMs: Math.round(this.inPositionMs),
      trackedMs: Math.round(this.trackedMs),
      formScore: this.trackedMs > 0 ? Math.round((100 * this.inPositionMs) / this.trackedMs) / 100 : 0,
      faults: [...this.seen],
    };
  }
}
