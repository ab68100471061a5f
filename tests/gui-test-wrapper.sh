#!/bin/sh
# gui-test-wrapper.sh: runs a GUI test under a private X server (Xvfb) and session bus, so
# the GUI suite needs no display, no desktop session and never touches the user's.
exec xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" dbus-run-session -- "$@"
