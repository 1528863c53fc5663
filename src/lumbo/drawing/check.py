"""Print the machine checks of pose files: ``python -m lumbo.drawing.check [ID ...]``.

Exits 1 when any pose has a problem, so it can guard a hand-edited pose file.
"""

from __future__ import annotations

import sys

from lumbo.domain.body import other_side
from lumbo.domain.pose import mirrored_scene
from lumbo.domain.posecheck import check_all
from lumbo.drawing.figures import FigureNotFound, PoseFileError, clear_caches, load_pose, pose_ids, resolved


def problems(exercise_id: str) -> list[str]:
    from lumbo.adapters.catalogue_files import default_catalogue

    pose = load_pose(exercise_id)
    entry = default_catalogue().get(exercise_id)
    equipment = [list(option) for option in entry.equipment] if entry is not None else []
    found = check_all(pose, resolved(exercise_id), equipment)
    if pose.working is not None:
        other = check_all(mirrored_scene(pose), resolved(exercise_id, other_side(pose.working)), equipment)
        found += [f"other side: {line}" for line in other]
    return found


def main(argv: list[str]) -> int:
    clear_caches()
    failed = False
    for exercise_id in argv or pose_ids():
        try:
            found = problems(exercise_id)
        except (FigureNotFound, PoseFileError) as error:
            found = [str(error)]
        for line in found:
            print(f"{exercise_id}: {line}")
        failed = failed or bool(found)
    if not failed:
        print("all checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
