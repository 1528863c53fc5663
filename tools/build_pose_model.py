"""Build ``pose_landmarker_lite.task`` for MediaPipe tasks-vision from the npm ``@mediapipe/pose`` files.

MediaPipe's tasks-vision ships no model, and lumbo downloads nothing at run time, so the
pose model is vendored. The two networks it needs ship in the npm package
``@mediapipe/pose@0.5.1675469404`` (Apache-2.0):

- ``pose_landmark_lite.tflite``: the lite landmark network (2.8 MB);
- ``pose_detection.tflite``: the person detector, packed (Emscripten file packager) inside
  ``pose_solution_packed_assets.data``; its offsets are in ``pose_solution_packed_assets_loader.js``.

tasks-vision wants them as a ``.task`` bundle: an uncompressed, 4-byte-aligned zip holding
``pose_detector.tflite`` and ``pose_landmarks_detector.tflite``, each carrying TFLite
metadata that says how to normalise the input image (the detector takes pixels in
[-1, 1], the landmark network in [0, 1]). The ``mediapipe`` PyPI package's metadata writer
adds that metadata; its C++ helper ``_pywrap_metadata_version`` is missing from recent
wheels, so a stub stands in for it (it only stamps the minimum parser version, "1.0.0" for
the plain image-normalisation metadata used here).

This script runs outside the app (lumbo never imports it). Use a scratch venv, not lumbo's::

    mkdir -p /tmp/mpbuild && cd /tmp/mpbuild
    npm pack @mediapipe/pose@0.5.1675469404 && mkdir pose && tar xzf mediapipe-pose-*.tgz -C pose
    python3 -m venv venv && venv/bin/pip install mediapipe==1.2.3
    venv/bin/python /path/to/lumbo/tools/build_pose_model.py pose/package \\
        /path/to/lumbo/src/lumbo/web/static/vendor/mediapipe-tasks-vision-0.10.35/pose_landmarker_lite.task

Output: ``wrote .../pose_landmarker_lite.task (5,777,270 bytes)``, sha256
``78b99d06ae93507cbab04716bb5ab6214b9f30adb6cfb8d0b0dfd486947ee95e`` (the zip dates are fixed, so
the same inputs and mediapipe version give the same bytes).
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import types
import zipfile
from pathlib import Path

DETECTOR_PACKED_NAME = "/third_party/mediapipe/modules/pose_detection/pose_detection.tflite"
#: (mean, std) so that (pixel - mean) / std gives the range each network was trained on.
DETECTOR_NORMALISATION = (127.5, 127.5)  # [-1, 1]
LANDMARKS_NORMALISATION = (0.0, 255.0)  # [0, 1]
MIN_PARSER_VERSION = "1.0.0"


def _stub_metadata_version() -> None:
    """Stand in for the C++ extension the metadata writer imports but recent wheels lack."""
    name = "mediapipe.tasks.cc.metadata.python._pywrap_metadata_version"
    stub = types.ModuleType(name)
    stub.GetMinimumMetadataParserVersion = lambda _buffer: MIN_PARSER_VERSION  # type: ignore[attr-defined]
    for parent in ("mediapipe.tasks.cc", "mediapipe.tasks.cc.metadata", "mediapipe.tasks.cc.metadata.python"):
        sys.modules.setdefault(parent, types.ModuleType(parent))
    sys.modules[name] = stub


def unpack_detector(npm_package: Path) -> bytes:
    """Cut ``pose_detection.tflite`` out of the Emscripten packed-assets file."""
    loader = (npm_package / "pose_solution_packed_assets_loader.js").read_text()
    match = re.search(r'"files":\s*(\[[^\]]*\])', loader)
    if match is None:
        raise SystemExit("could not find the file table in pose_solution_packed_assets_loader.js")
    entries = {entry["filename"]: entry for entry in json.loads(match.group(1))}
    entry = entries[DETECTOR_PACKED_NAME]
    packed = (npm_package / "pose_solution_packed_assets.data").read_bytes()
    detector = packed[entry["start"] : entry["end"]]
    if detector[4:8] != b"TFL3":
        raise SystemExit("the unpacked detector is not a TFLite model")
    return detector


def with_image_metadata(model: bytes, name: str, mean: float, std: float) -> bytes:
    """Return ``model`` with metadata describing its RGB image input and its normalisation."""
    _stub_metadata_version()
    metadata = importlib.import_module("mediapipe.tasks.python.metadata.metadata")
    metadata_writer = importlib.import_module(
        "mediapipe.tasks.python.metadata.metadata_writers.metadata_writer"
    )

    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, "Pose network from @mediapipe/pose, metadata added by lumbo.")
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    # populate() would also render the metadata as JSON through a C library we do not
    # need; build the metadata buffer and populate it directly instead.
    buffer = metadata_writer._create_metadata_buffer(
        model_buffer=bytearray(model), general_md=writer._general_md, input_md=writer._input_mds
    )
    populator = metadata.MetadataPopulator.with_model_buffer(bytearray(model))
    populator.load_metadata_buffer(buffer)
    populator.populate()
    return bytes(populator.get_model_buffer())


def build(npm_package: Path, output: Path) -> int:
    """Write the ``.task`` bundle and return its size in bytes."""
    _stub_metadata_version()
    model_asset_bundle_utils = importlib.import_module(
        "mediapipe.tasks.python.metadata.metadata_writers.model_asset_bundle_utils"
    )

    detector = with_image_metadata(unpack_detector(npm_package), "pose_detector", *DETECTOR_NORMALISATION)
    landmarks = with_image_metadata(
        (npm_package / "pose_landmark_lite.tflite").read_bytes(),
        "pose_landmarks_detector",
        *LANDMARKS_NORMALISATION,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    # Same layout as model_asset_bundle_utils.create_model_asset_bundle, with a fixed date
    # so that the same inputs give the same bytes (and the same sha256 in the README).
    with model_asset_bundle_utils.AlignZipFile(str(output), mode="w", alignment=4) as bundle:
        for name, content in (
            ("pose_detector.tflite", detector),
            ("pose_landmarks_detector.tflite", landmarks),
        ):
            bundle.writestr(zipfile.ZipInfo(name, date_time=(2023, 2, 1, 0, 0, 0)), content)
    return output.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("npm_package", type=Path, help="the unpacked @mediapipe/pose package folder")
    parser.add_argument("output", type=Path, help="where to write pose_landmarker_lite.task")
    args = parser.parse_args()
    size = build(args.npm_package, args.output)
    print(f"wrote {args.output} ({size:,} bytes)")


if __name__ == "__main__":
    main()
