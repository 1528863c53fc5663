"""For the whole test run: caches go to a folder of this run, not the tester's own.

The catalogue snapshot (``lumbo.adapters.catalogue_snapshot``) is written on first use;
without this, every test run (and every CLI or server the tests start, which inherit the
environment) would write it to ``~/.cache/lumbo``. A LUMBO_CACHE_DIR set by the person
running the tests is kept.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if not os.environ.get("LUMBO_CACHE_DIR"):
    _folder = tempfile.mkdtemp(prefix="lumbo-test-cache-")
    os.environ["LUMBO_CACHE_DIR"] = _folder
    atexit.register(shutil.rmtree, _folder, ignore_errors=True)
