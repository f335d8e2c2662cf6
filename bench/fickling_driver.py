#!/usr/bin/env python3
"""Run fickling's safety check over a file or a whole folder.

fickling has no directory mode, so this driver walks PATH and checks every
pickle-family file in one Python process with fickling's public API (the same
code path as `fickling --check-safety FILE`, minus one interpreter start-up per
file, which is the most favourable way to time it):

  * zip files (PyTorch checkpoints, .zip archives): fickling.loader.scan_zip_archive,
    which checks the pickle members (.pkl/.pickle/.bin) inside;
  * everything else with a pickle-family extension: fickling.loader.scan_file.

Both run with graceful=True, so an unparsable file is reported, not fatal; an
exception fickling itself raises (e.g. on an encrypted zip member) is caught,
counted and the walk goes on.

Usage: fickling_driver.py PATH [--quiet]
Exit code: 0 all likely safe, 1 something flagged, 2 usage error.
"""

from __future__ import annotations

import os
import sys
import zipfile

PICKLE_EXTS = {
    ".pkl", ".pickle", ".pck", ".p", ".pt", ".pth", ".bin", ".ckpt", ".joblib",
    ".dill", ".zip", ".mar", ".nemo",
}


def candidates(path: str):
    if os.path.isfile(path):
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            if os.path.splitext(name)[1].lower() in PICKLE_EXTS:
                yield os.path.join(root, name)


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    quiet = "--quiet" in argv
    if len(args) != 1 or not os.path.exists(args[0]):
        print(__doc__, file=sys.stderr)
        return 2
    from fickling.analysis import Severity
    from fickling.loader import scan_file, scan_zip_archive

    flagged = scanned = errors = 0
    for f in candidates(args[0]):
        scanned += 1
        try:
            if zipfile.is_zipfile(f):
                results = scan_zip_archive(f, graceful=True)
                sev = max((r.severity for r in results.values()), default=Severity.LIKELY_SAFE)
            else:
                sev = scan_file(f, graceful=True).severity
            label = sev.name
        except Exception as e:  # fickling itself crashed (e.g. encrypted zip member)
            errors += 1
            sev, label = Severity.SUSPICIOUS, f"ERROR({type(e).__name__})"
        if sev > Severity.LIKELY_SAFE:
            flagged += 1
        if not quiet:
            print(f"{label:24} {f}")
    if not quiet:
        print(f"fickling: {scanned} files checked, {flagged} flagged, {errors} crashed")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
