#!/usr/bin/env python3
"""Runs a command for as long as this script lives and its stdin stays open, then kills it.

A test starts a server through it and keeps the pipe to its stdin: when the test process dies, the pipe
closes and the server goes with it; when the test lets go of the server, it kills this script, and the
kernel kills the command (parent-death signal). With no command it only waits, holding a namespace open.

Children of a test process inherit a signal mask that blocks SIGTERM (the mask of the thread that started
them); it is cleared here so the command can be stopped normally. Inherited descriptors stay open:
Foundation takes the end of one of them as this process's exit.
"""

import ctypes
import signal
import subprocess
import sys

PR_SET_PDEATHSIG = 1

signal.pthread_sigmask(signal.SIG_SETMASK, [])


def die_with_parent():
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


child = None
if len(sys.argv) > 1:
    child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
sys.stdin.buffer.read()
if child:
    child.kill()
    child.wait()
