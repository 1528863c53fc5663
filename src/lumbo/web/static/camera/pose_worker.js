// The pose model off the page's main thread, so the player's timer and buttons never wait
// for it. A classic worker (not a module worker): the wasm loader is a classic script that
// MediaPipe loads with importScripts. It gets one frame at a time as an ImageBitmap, answers
// with the landmarks only, and closes the frame; nothing is kept or sent anywhere.

let landmarker = null;

async function load(base) {
  const vision = await import(`${base}/vision_bundle.mjs`);
  landmarker = await vision.PoseLandmarker.createFromOptions(
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
}

self.onmessage = async ({ data }) => {
  if (data.kind === "load") {
    try {
      await load(data.base);
      self.postMessage({ kind: "ready" });
    } catch (error) {
      self.postMessage({ kind: "error", message: String(error?.message ?? error) });
    }
    return;
  }
  if (data.kind === "frame") {
    const started = performance.now();
    try {
      const result = landmarker.detectForVideo(data.frame, data.t);
      self.postMessage({
        kind: "result",
        t: data.t,
        world: result.worldLandmarks[0] ?? null,
        image: result.landmarks[0] ?? null,
        ms: performance.now() - started,
      });
    } catch (error) {
      self.postMessage({ kind: "error", message: String(error?.message ?? error) });
    } finally {
      data.frame.close();
    }
    return;
  }
  if (data.kind === "close") {
    landmarker?.close();
    landmarker = null;
    self.close();
  }
};
