"""SENCO Desk entry point: no command opens the app; a command runs the command line."""

import sys


def main() -> int:
    from sencodesk.cli import run, wants_gui

    argv = sys.argv[1:]
    if wants_gui(argv):
        from ui.app import run_gui

        return run_gui(argv)
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
