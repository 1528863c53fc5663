// Tests of the camera coach (src/lumbo/web/static/camera/rules.js) on RECORDED landmark
// sequences: what lumbo's real pose model gave, frame by frame, on synthetic clips of the
// mannequin (tests/support/record_landmarks.py wrote tests/js/fixtures/*.json). Each fixture
// is run through CameraCoach with the rule the catalogue compiles (tests/js/fixtures/rules.json,
// kept current by tests/unit/test_recorded_rules_current.py) and checked against what the
// clip's own timeline shows ("expected" in the fixture), not against an earlier run.
//
// Every check is a function returning a list of problems; each one is also run with a rule
// broken on purpose, to show it can fail.

import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

import { CameraCoach, BACK_INTO_POSITION, POSITION_SETTLE_MS } from "../../src/lumbo/web/static/camera/rules.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const RULES = JSON.parse(readFileSync(path.join(FIXTURES, "rules.json"), "utf8"));

function fixture(name) {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));
}

const BRIDGE = fixture("glute-bridge-3-reps");
const SAG_10 = fixture("forearm-plank-sag-10");
const SAG_25 = fixture("forearm-plank-sag-25");
const SIDE_DROP = fixture("side-plank-drop-20");
const ALL = [BRIDGE, SAG_10, SAG_25, SIDE_DROP];

// Time the coach may take to settle into position at the start (the first frames fill its
// smoothing window, then "in position" needs POSITION_SETTLE_MS).
const START_MS = POSITION_SETTLE_MS + 500;

const toWorld = (frame) => frame && frame.map(([x, y, z, visibility]) => ({ x, y, z, visibility }));

/** Every frame's output (with its time t) and the summary, for `fx` under `rule`. */
function run(fx, rule) {
  const coach = new CameraCoach(rule, { side: fx.side });
  const outputs = fx.frames.map(([t, world]) => ({ t, ...coach.update(t, toWorld(world)) }));
  return { outputs, summary: coach.summary() };
}

const ruleOf = (fx) => structuredClone(RULES[fx.rule]);
const between = (outputs, from, to) => outputs.filter((o) => o.t >= from && o.t < to);
const share = (outputs, test) => (outputs.length ? outputs.filter(test).length / outputs.length : 0);
const cueOf = (rule, id) => rule.faults.find((f) => f.id === id).cue;

/** A copy of `rule` with `change` applied (for the checks that must fail). */
function broken(fx, change) {
  const rule = ruleOf(fx);
  change(rule);
  return rule;
}
const fault = (rule, id) => rule.faults.find((f) => f.id === id);
const clause = (rule, measure) => rule.position.find((c) => c.measure === measure);

// ---- checks (each returns a list of problems; [] means it passed) ----------------------------

/** In position with no fault from START_MS until the clip's straight part ends. */
function checkStraightPart(fx, rule) {
  const part = between(run(fx, rule).outputs, START_MS, fx.expected.straight_until_ms);
  const problems = [];
  if (part.length < 20) problems.push(`only ${part.length} frames in the straight part`);
  const out = part.filter((o) => !o.inPosition);
  if (out.length) problems.push(`out of position in the straight part at ${out[0].t} ms`);
  const faulty = part.filter((o) => o.faults.length);
  if (faulty.length) problems.push(`fault ${faulty[0].faults} in the straight part at ${faulty[0].t} ms`);
  return problems;
}

/**
 * The expected fault comes on after the change starts and before the bad hold ends, with its
 * cue, and shows on at least `minShare` of the frames of the bad hold.
 */
function checkFault(fx, rule, { holdFrom, holdUntil, minShare }) {
  const { outputs, summary } = run(fx, rule);
  const id = fx.expected.fault;
  const problems = [];
  const first = outputs.find((o) => o.faults.includes(id));
  if (!first) return [`"${id}" never showed (faults seen: ${JSON.stringify(summary.faults)})`];
  if (first.t < fx.expected.fault_after_ms) problems.push(`"${id}" showed at ${first.t} ms, before the change`);
  if (first.t > holdUntil) problems.push(`"${id}" first showed at ${first.t} ms, after the bad hold`);
  const said = outputs.find((o) => o.say && o.say.includes(cueOf(rule, id)));
  if (!said) problems.push(`the cue of "${id}" was never said`);
  const hold = between(outputs, holdFrom, holdUntil);
  const on = share(hold, (o) => o.faults.includes(id));
  if (on < minShare) problems.push(`"${id}" showed on ${Math.round(100 * on)}% of the bad hold (< ${100 * minShare}%)`);
  if (!summary.faults.includes(id)) problems.push(`the summary does not list "${id}"`);
  return problems;
}

/** In position from START_MS to the end, never lost, "Back into position." never said. */
function checkInPositionAllAlong(fx, rule) {
  const outputs = run(fx, rule).outputs;
  const problems = [];
  const out = outputs.filter((o) => o.t >= START_MS && !o.inPosition);
  if (out.length) problems.push(`out of position at ${out[0].t} ms (${out.length} frames)`);
  if (outputs.some((o) => o.lost)) problems.push("lost");
  const back = outputs.find((o) => o.say && o.say.startsWith(BACK_INTO_POSITION));
  if (back) problems.push(`said "${back.say}" at ${back.t} ms`);
  return problems;
}

/** Out of position (lost, "Back into position." said) during the bad hold, back in position at the end. */
function checkOutOfPosition(fx, rule) {
  const outputs = run(fx, rule).outputs;
  const { fault_after_ms: from, sag_full_until_ms: until, straight_again_from_ms: again } = fx.expected;
  const problems = [];
  const out = outputs.find((o) => o.t >= START_MS && !o.inPosition);
  if (!out) return ["never out of position"];
  if (out.t < from || out.t > until) problems.push(`out of position at ${out.t} ms, outside ${from}..${until} ms`);
  const lost = outputs.find((o) => o.lost);
  if (!lost || lost.t < from || lost.t > until) problems.push(`lost ${lost ? `at ${lost.t} ms` : "never"}`);
  const back = outputs.filter((o) => o.say && o.say.startsWith(fx.expected.say));
  if (back.length !== 1) problems.push(`"${fx.expected.say}" said ${back.length} times, not once`);
  else if (back[0].t < from || back[0].t > until) problems.push(`"${fx.expected.say}" said at ${back[0].t} ms`);
  const end = between(outputs, again + START_MS, Infinity);
  if (!end.length || end.some((o) => !o.inPosition)) problems.push("not back in position at the end");
  return problems;
}

/** The expected number of reps, each counted after its own top and before the next one's. */
function checkReps(fx, rule) {
  const { outputs, summary } = run(fx, rule);
  const { reps, tops_ms: tops } = fx.expected;
  const problems = [];
  const last = outputs.at(-1).reps;
  if (last !== reps) problems.push(`counted ${last} reps, expected ${reps}`);
  for (let k = 0; k < Math.min(last, reps); k += 1) {
    const counted = outputs.find((o) => o.reps > k);
    const next = k + 1 < tops.length ? tops[k + 1][0] : Infinity;
    if (counted.t < tops[k][0] || counted.t >= next) {
      problems.push(`rep ${k + 1} counted at ${counted.t} ms, not between ${tops[k][0]} and ${next} ms`);
    }
  }
  if (summary.faults.length) problems.push(`faults on good bridges: ${summary.faults}`);
  const inPosition = share(between(outputs, START_MS, Infinity), (o) => o.inPosition);
  if (inPosition < 0.95) problems.push(`in position only ${Math.round(100 * inPosition)}% of the time`);
  return problems;
}

// ---- the fixtures themselves -------------------------------------------------------------

describe("recorded fixtures", () => {
  for (const fx of ALL) {
    test(`${fx.clip}: about 10 frames a second of 33 landmarks, a person in every frame, a known rule`, () => {
      assert.ok(Object.hasOwn(RULES, fx.rule), `rules.json has no rule "${fx.rule}"`);
      assert.ok(fx.frames.length >= 100, `${fx.frames.length} frames`);
      for (const [t, world] of fx.frames) {
        assert.ok(Array.isArray(world), `nobody found at ${t} ms`);
        assert.equal(world.length, 33);
        for (const p of world) assert.equal(p.length, 4);
      }
      const times = fx.frames.map(([t]) => t);
      const span = times.at(-1) - times[0];
      const rate = (1000 * (times.length - 1)) / span;
      assert.ok(rate > 9 && rate < 11, `${rate.toFixed(1)} frames a second`);
      for (let k = 1; k < times.length; k += 1) assert.ok(times[k] > times[k - 1]);
    });
  }
});

// ---- glute bridge: 3 reps ----------------------------------------------------------------

describe("recorded glute bridge, 3 reps", () => {
  test("counts exactly 3 reps, each after its own top, in position, no faults", () => {
    assert.equal(BRIDGE.expected.reps, 3);
    assert.deepEqual(checkReps(BRIDGE, ruleOf(BRIDGE)), []);
  });

  test("the check fails when the rep's end is out of reach", () => {
    const rule = broken(BRIDGE, (r) => { r.rep.end = 30; });
    assert.ok(checkReps(BRIDGE, rule).some((p) => p.startsWith("counted 0 reps")));
  });

  test("the check fails when the rep's start is below the lying position", () => {
    const rule = broken(BRIDGE, (r) => { r.rep.start = -65; });
    assert.ok(checkReps(BRIDGE, rule).some((p) => p.startsWith("counted 0 reps")));
  });

  test("the check fails when hips-low is judged far too strictly", () => {
    const rule = broken(BRIDGE, (r) => { fault(r, "hips-low").below = 40; });
    assert.ok(checkReps(BRIDGE, rule).some((p) => p.startsWith("faults on good bridges: hips-low")));
  });
});

// ---- forearm plank: straight, then sagging 10° -----------------------------------------------

describe("recorded forearm plank, straight then sagging 10°", () => {
  const sag = SAG_10.expected;
  const window = { holdFrom: sag.sag_full_from_ms, holdUntil: sag.sag_full_until_ms, minShare: 0.5 };

  test("straight part: in position, no fault", () => {
    assert.deepEqual(checkStraightPart(SAG_10, ruleOf(SAG_10)), []);
  });

  test("the sag shows hips-sag, with its cue", () => {
    assert.equal(sag.fault, "hips-sag");
    assert.deepEqual(checkFault(SAG_10, ruleOf(SAG_10), window), []);
  });

  test("still in position all along, never lost", () => {
    assert.equal(sag.in_position_all_along, true);
    assert.deepEqual(checkInPositionAllAlong(SAG_10, ruleOf(SAG_10)), []);
  });

  test("no fault once the plank is straight again", () => {
    const outputs = run(SAG_10, ruleOf(SAG_10)).outputs;
    const end = between(outputs, sag.straight_again_from_ms, Infinity);
    assert.ok(end.length >= 10);
    assert.deepEqual(end.filter((o) => o.faults.length).map((o) => o.t), []);
  });

  test("a rule with the sag threshold moved far away does NOT fire", () => {
    const rule = broken(SAG_10, (r) => { fault(r, "hips-sag").below = -30; });
    assert.deepEqual(checkFault(SAG_10, rule, window), ['"hips-sag" never showed (faults seen: [])']);
  });

  test("a sag threshold only 2° more lenient misses most of the sag (the real model reads it at about -4°)", () => {
    const rule = broken(SAG_10, (r) => { fault(r, "hips-sag").below = -3; });
    const problems = checkFault(SAG_10, rule, window);
    assert.ok(problems.some((p) => /^"hips-sag" showed on \d+% of the bad hold/.test(p)), problems.join("; "));
  });

  test("the straight-part check fails when the sag threshold is above a straight plank", () => {
    const rule = broken(SAG_10, (r) => { fault(r, "hips-sag").below = 20; });
    assert.ok(checkStraightPart(SAG_10, rule).some((p) => p.startsWith("fault hips-sag")));
  });

  test("the in-position check fails when the position's line limit is tightened", () => {
    const rule = broken(SAG_10, (r) => { clause(r, "line").min = 0; });
    assert.ok(checkInPositionAllAlong(SAG_10, rule).some((p) => p.startsWith("out of position")));
  });
});

// ---- forearm plank: straight, then sagging 25° -----------------------------------------------

describe("recorded forearm plank, straight then sagging 25°", () => {
  const sag = SAG_25.expected;

  test("straight part: in position, no fault", () => {
    assert.deepEqual(checkStraightPart(SAG_25, ruleOf(SAG_25)), []);
  });

  test("out of position during the sag, \"Back into position.\" said once, back in at the end", () => {
    assert.equal(sag.in_position_all_along, false);
    assert.equal(sag.say, BACK_INTO_POSITION);
    assert.deepEqual(checkOutOfPosition(SAG_25, ruleOf(SAG_25)), []);
  });

  test("the sag shows hips-sag too", () => {
    const window = { holdFrom: sag.sag_full_from_ms, holdUntil: sag.sag_full_until_ms, minShare: 0.8 };
    assert.deepEqual(checkFault(SAG_25, ruleOf(SAG_25), window), []);
  });

  test("the check fails when the position allows a deep sag", () => {
    const rule = broken(SAG_25, (r) => { clause(r, "line").min = -45; });
    assert.deepEqual(checkOutOfPosition(SAG_25, rule), ["never out of position"]);
    assert.deepEqual(checkInPositionAllAlong(SAG_25, rule), []);
  });
});

// ---- side plank: hips drop 20° halfway ---------------------------------------------------------

describe("recorded side plank, hips dropping 20° halfway", () => {
  const drop = SIDE_DROP.expected;
  const window = { holdFrom: drop.drop_full_from_ms, holdUntil: drop.ends_ms, minShare: 0.8 };

  test("straight part: in position, no fault", () => {
    assert.deepEqual(checkStraightPart(SIDE_DROP, ruleOf(SIDE_DROP)), []);
  });

  test("the drop shows hips-drop, with its cue", () => {
    assert.equal(drop.fault, "hips-drop");
    assert.deepEqual(checkFault(SIDE_DROP, ruleOf(SIDE_DROP), window), []);
  });

  test("a rule with the drop threshold moved far away does NOT fire", () => {
    const rule = broken(SIDE_DROP, (r) => { fault(r, "hips-drop").below = -40; });
    assert.deepEqual(checkFault(SIDE_DROP, rule, window), ['"hips-drop" never showed (faults seen: [])']);
  });

  test("the straight-part check fails when the drop threshold is above a straight side plank", () => {
    const rule = broken(SIDE_DROP, (r) => { fault(r, "hips-drop").below = 20; });
    assert.ok(checkStraightPart(SIDE_DROP, rule).some((p) => p.startsWith("fault hips-drop")));
  });
});
