"""Organizing a 1 GiB download on the same filesystem, against a full copy of the same file (goal: < 1 %).

Both go through the organizer's own `place_file`, once in its default mode (hardlink when it can) and once
forced to copy; the copy is the baseline a user would otherwise pay.
"""

import os
import statistics
import tempfile
import time
from pathlib import Path

from organizer.library.placing import LinkMode, place_file


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    base = Path(os.environ.get("BENCH_DIR") or Path.cwd() / ".bench-organize")
    base.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        src = Path(tmp) / "downloads" / "Sintel.2010.1080p.BluRay.x264-NILU.mkv"
        src.parent.mkdir()
        with src.open("wb") as f:
            for _ in range(1024):
                f.write(os.urandom(1024 * 1024))
            f.flush()
            os.fsync(f.fileno())
        links, copies = [], []
        for i in range(3):
            links.append(
                timed(
                    lambda i=i: place_file(src, Path(tmp) / f"link{i}" / "Sintel (2010)", "Sintel (2010).mkv")
                )
            )
            copies.append(
                timed(
                    lambda i=i: place_file(
                        src, Path(tmp) / f"copy{i}" / "Sintel (2010)", "Sintel (2010).mkv", LinkMode.COPY
                    )
                )
            )
        link, copy = statistics.median(links), statistics.median(copies)
        print(f"organize 1 GiB, same filesystem: {link * 1000:.3f} ms (hardlink)")
        print(f"full copy baseline (copy + fsync + verify): {copy * 1000:.1f} ms")
        print(
            f"ratio: {link / copy * 100:.4f} % of a copy (goal < 1 %): {'PASS' if link / copy < 0.01 else 'FAIL'}"
        )


if __name__ == "__main__":
    main()
