"""SENCO Desk entry point: no command opens the app; a command runs the command line.

    main.py [--db PATH]      the app
    main.py COMMAND ...      a command (main.py --help lists them)
    main.py --version        the versions of the app and of what it runs on
    main.py --self-test      open every page offscreen and quit: 0 ok, 1 on any exception
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from glob import glob
from pathlib import Path

NO_DISPLAY = (
    "SENCO Desk cannot open its window: there is no display (neither DISPLAY nor "
    "WAYLAND_DISPLAY is set). Start it from a desktop session, or use a command instead "
    "(`{prog} --help` lists them, e.g. `{prog} check`). On a server without a screen: "
    "`xvfb-run {prog}`."
)
NO_XCB_LIBS = (
    "SENCO Desk cannot open its window: Qt needs system libraries that are not installed "
    "({packages}). On Debian or Ubuntu: `sudo apt install {packages}` (the README's "
    "Requirements list every library Qt needs on Linux)."
)
# The libraries Qt's "xcb" platform plugin loads that a desktop may lack, and their Debian
# packages. Without any one of them Qt aborts, with a message about libxcb-cursor0.
XCB_LIBS = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def _found(soname: str, dirs: list[str]) -> bool:
    if any((Path(d) / soname).exists() for d in dirs):
        return True
    return bool(glob(f"/usr/lib/*-linux-gnu/{soname}") or glob(f"/lib/*-linux-gnu/{soname}"))


def missing_xcb_packages() -> list[str]:
    """The Debian packages of the libraries above that are not found. Looks in the usual
    folders (cheap: a few file checks at each start); asks ``ldconfig`` (through ctypes) only
    about a library not found there."""
    folders = [os.environ.get("LD_LIBRARY_PATH", ""), getattr(sys, "_MEIPASS", "")]
    dirs = [d for f in folders for d in f.split(os.pathsep) if d]
    dirs += ["/usr/lib", "/usr/lib64", "/lib", "/usr/local/lib"]
    missing = [so for so in XCB_LIBS if not _found(so, dirs)]
    if missing:
        import ctypes.util

        missing = [so for so in missing if ctypes.util.find_library(so[3:].split(".so")[0]) is None]
    return [XCB_LIBS[so] for so in missing]


def display_problem(
    env: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    missing_packages: Callable[[], list[str]] = missing_xcb_packages,
) -> str | None:
    """Why the window cannot open on this Linux session, in words, or None. Qt itself would
    abort with a message about the "xcb" platform plugin and libxcb-cursor0."""
    if not platform.startswith("linux"):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa and not qpa.startswith("xcb"):
        return None  # offscreen, wayland, vnc...: the user chose
    if not env.get("DISPLAY"):
        if env.get("WAYLAND_DISPLAY") and not qpa:
            return None  # Qt uses Wayland
        return NO_DISPLAY
    missing = missing_packages()
    if missing:
        return NO_XCB_LIBS.replace("{packages}", " ".join(missing))
    return None


def program_name() -> str:
    if getattr(sys, "frozen", False):
        return Path(sys.executable).name
    return "python3 main.py"


def print_version() -> int:
    from sencodesk.version import version_lines
    from ui.dialogs.help import qt_versions

    print("\n".join(version_lines(qt=qt_versions())))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv in (["--version"], ["-V"]):
        return print_version()
    from sencodesk.cli import gui_args, run

    self_test = "--self-test" in argv
    if self_test:
        argv.remove("--self-test")
    args = gui_args(argv)
    if args is None:
        if self_test:
            print("sencodesk: --self-test takes only --db PATH", file=sys.stderr)
            return 2
        return run(argv)
    if self_test:
        from ui.selftest import run_self_test

        return run_self_test(args.db)
    problem = display_problem()
    if problem:
        print(problem.format(prog=program_name()), file=sys.stderr)
        return 2
    # Python's automatic collector is off from here: the start makes tens of thousands of
    # objects (Qt's modules, the window) and no garbage worth a walk over all of them (about
    # 3% of the first frame, benchmarks/bench_gui_startup.py). The GUI's own collector
    # (ui/collector.py) takes over when the window's database worker starts, and turns the
    # automatic one back on when the last worker stops.
    import gc

    gc.disable()
    from ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the bundle's review-pack drawing processes (reports/pool)
    sys.exit(main())
