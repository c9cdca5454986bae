"""SENCO Desk entry point: no command opens the app; a command runs the command line."""

import sys


def main() -> int:
    from sencodesk.cli import gui_args, run

    argv = sys.argv[1:]
    args = gui_args(argv)
    if args is not None:
        from ui.app import run_gui

        return run_gui(args)
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
