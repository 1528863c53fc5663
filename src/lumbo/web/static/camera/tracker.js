// The camera and the pose tracker: frames go from the camera into MediaPipe's pose model,
// inside this browser, and only the landmarks come out. No frame is sent anywhere, drawn or kept.
//
// The model and its wasm (about 17 MB) load only when startTracker() is called, never on a
// plain player view. The CPU path is used on purpose: on machines without a real GPU the GPU
// delegate falls back to software WebGL and runs at under 1 frame a second. By default the
// model runs in a worker (pose_worker.js) so the player's timer never waits for it.

export const VENDOR_BASE = "/static/vendor/mediapipe-tasks-vision-0.10.35";
const WORKER_URL = "/static/camera/pose_worker.js";
const EARLY_MS = 17; // half a frame of a 30 fps camera

/** Ask for the front camera at 640x480, no sound. Returns the stream (playing in `video`). */
export async function openCamera(video) {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: "user" },
  });
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play();
  return stream;
}

/** Stop every track of the stream the camera gave (the camera light goes off). */
export function closeCamera(stream) {
  for (const track of stream?.getTracks?.() ?? []) track.stop();
}

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// The model on this thread: detect(video, t) answers at once.
async function inlineEngine(base) {
  const vision = await import(`${base}/vision_bundle.mjs`);
  // Only the SIMD build is vendored (every browser that can run the coach has wasm SIMD),
  // so the fileset is given directly rather than letting FilesetResolver pick a build.
  const landmarker = await vision.PoseLandmarker.createFromOptions(
    {
      wasmLoaderPath: `${base}/wasm/vision_wasm_internal.js`,
      wasmBinaryPath: `${base}/wasm/vision_wasm_internal.wasm`,
    },
    {
      baseOptions: { modelAssetPath: `${base}/pose_landmarker_lite.task`, delegate: "CPU" },
      runningMode: "VIDEO",
      numPoses: 1,
    },
  );
  return {
    async detect(video, t) {
      const started = performance.now();
      const result = landmarker.detectForVideo(video, t);
      return {
        world: result.worldLandmarks[0] ?? null,
        image: result.landmarks[0] ?? null,
        ms: performance.now() - started,
      };
    },
    close: () => landmarker.close(),
  };
}

// The model in a worker: the frame goes over as an ImageBitmap (moved, not copied).
async function workerEngine(base) {
  const worker = new Worker(WORKER_URL);
  let waiting = null;
  worker.onmessage = ({ data }) => {
    const settle = waiting;
    waiting = null;
    if (data.kind === "error") settle?.reject(new Error(data.message));
    else settle?.resolve(data);
  };
  worker.onerror = (event) => {
    const settle = waiting;
    waiting = null;
    settle?.reject(new Error(event.message || "the pose worker failed"));
  };
  const ask = (message, transfer = []) =>
    new Promise((resolve, reject) => {
      waiting = { resolve, reject };
      worker.postMessage(message, transfer);
    });
  try {
    await ask({ kind: "load", base: new URL(base, location.href).href });
  } catch (error) {
    worker.terminate();
    throw error;
  }
  return {
    async detect(video, t) {
      const frame = await createImageBitmap(video);
      const { world, image, ms } = await ask({ kind: "frame", frame, t }, [frame]);
      return { world, image, ms };
    },
    close() {
      worker.postMessage({ kind: "close" });
      setTimeout(() => worker.terminate(), 1000);
    },
  };
}

/**
 * Track the person in `video` and call onFrame({t, world, image, ms, latencyMs}) for each
 * processed frame, at most `fps` times a second. `world` is the 33 world landmarks (metres,
 * origin between the hips) or null when nobody is seen; `image` the same points normalised to
 * the picture; `ms` the model's time for this frame; `latencyMs` the time from the camera
 * frame to its landmarks. `worker` (default: when the browser has workers) runs the model off
 * the main thread. If the model fails, tracking stops and onError(error) is called.
 * Returns {stop(), stats()}; stats() gives {frames, fps, medianMs, startupMs, worker}.
 */
export async function startTracker(
  video,
  { onFrame, onError = null, fps = 12, base = VENDOR_BASE, worker = typeof Worker === "function" } = {},
) {
  const started = performance.now();
  const engine = worker ? await workerEngine(base) : await inlineEngine(base);
  const startupMs = performance.now() - started;
  const minGapMs = 1000 / fps;
  const recentMs = []; // model times of the last 100 frames
  const frameTimes = []; // when the last 100 frames were taken
  let frames = 0;
  let stopped = false;
  let nextDue = -Infinity;
  let lastVideoTime = -1;
  let pending = null;
  const useVideoCallback = typeof video.requestVideoFrameCallback === "function";

  function schedule() {
    if (stopped) return;
    if (useVideoCallback) {
      pending = { kind: "video", id: video.requestVideoFrameCallback(step) };
    } else {
      const wait = Math.max(0, nextDue - performance.now());
      pending = { kind: "timer", id: setTimeout(step, wait) };
    }
  }

  async function step(_now, metadata) {
    pending = null;
    if (stopped) return;
    const now = performance.now();
    // A camera gives about 30 frames a second; keep only as many as the cap allows. The due
    // time advances by whole steps (not from the last run) and a frame up to half a camera
    // frame early counts, so a 12 fps cap on a 30 fps camera gives 12 frames a second rather
    // than every third frame (10).
    if (!(now >= nextDue - EARLY_MS && video.readyState >= 2 && video.currentTime !== lastVideoTime)) {
      schedule();
      return;
    }
    nextDue = now - nextDue > minGapMs ? now + minGapMs : nextDue + minGapMs;
    lastVideoTime = video.currentTime;
    // From the moment the camera captured (or the page received) the frame to its landmarks.
    const frameAt = metadata?.captureTime ?? metadata?.presentationTime ?? now;
    let found;
    try {
      found = await engine.detect(video, now);
    } catch (error) {
      if (stopped) return;
      stop();
      if (onError) onError(error);
      else throw error;
      return;
    }
    if (stopped) return;
    frames += 1;
    recentMs.push(found.ms);
    frameTimes.push(now);
    if (recentMs.length > 100) recentMs.shift();
    if (frameTimes.length > 100) frameTimes.shift();
    try {
      onFrame?.({ t: now, world: found.world, image: found.image, ms: found.ms, latencyMs: performance.now() - frameAt });
    } finally {
      schedule();
    }
  }

  function stop() {
    if (stopped) return;
    stopped = true;
    if (pending?.kind === "video") video.cancelVideoFrameCallback?.(pending.id);
    if (pending?.kind === "timer") clearTimeout(pending.id);
    pending = null;
    engine.close();
  }

  schedule();

  return {
    stop,
    stats() {
      const span = frameTimes.length > 1 ? frameTimes[frameTimes.length - 1] - frameTimes[0] : 0;
      return {
        frames,
        fps: span > 0 ? ((frameTimes.length - 1) * 1000) / span : 0,
        medianMs: median(recentMs),
        startupMs,
        worker: Boolean(worker),
      };
    },
  };
}
