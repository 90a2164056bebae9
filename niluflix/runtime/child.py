"""`python -m niluflix.runtime.child <module> [args]`: run a Python module as a supervised child.

The same as `python -m <module> [args]`, plus a watch on the supervisor, so the child ends with it on
every platform (see `lifeline`).
"""

import runpy
import sys

from niluflix.runtime.lifeline import watch_supervisor


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: python -m niluflix.runtime.child <module> [args]")
    module, *args = sys.argv[1:]
    watch_supervisor()
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
