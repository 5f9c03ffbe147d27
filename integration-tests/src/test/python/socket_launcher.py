#!/usr/bin/env python3
"""Passes a listening TCP socket to a program the way systemd does (sd_listen_fds(3)): as descriptor 3,
with LISTEN_FDS=1, LISTEN_PID=<the program's pid> and LISTEN_FDNAMES=<name>.

  socket_launcher.py [--host H] [--port P] [--name N] [--backlog B] exec -- program args...
      binds and listens, then becomes the program (exec: its pid is the launcher's), like
      systemd-socket-activate. Every argument '{port}' is replaced by the port bound.
  socket_launcher.py [...] hold -- program args...
      binds and listens, prints 'launcher port <p>', then keeps the socket open while it starts and
      stops the program on commands read from stdin, one a line:
        start  -> starts the program (fork + exec, the socket as fd 3), prints 'started <pid>'
        stop   -> SIGTERM to the oldest program running, waits, prints 'exited <pid> <status>'
        quit   -> stops every program and exits
      Connections arriving while no program runs wait in the socket's queue: the launcher never
      accepts nor closes it, as systemd holds a .socket unit's socket across a service restart.
The programs write to the launcher's stdout and stderr.
"""
import argparse
import os
import signal
import socket
import sys

FIRST_FD = 3


def listening(host, port, backlog):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(backlog)
    return s


def as_fd3(s, name):
    """In the process about to exec: the socket as fd 3, inheritable, and systemd's variables for this pid."""
    if s.fileno() != FIRST_FD:
        os.dup2(s.fileno(), FIRST_FD)
    os.set_inheritable(FIRST_FD, True)
    os.environ["LISTEN_FDS"] = "1"
    os.environ["LISTEN_PID"] = str(os.getpid())
    os.environ["LISTEN_FDNAMES"] = name


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--name", default="http")
    p.add_argument("--backlog", type=int, default=128)
    p.add_argument("mode", choices=["exec", "hold"])
    p.add_argument("program", nargs=argparse.REMAINDER)
    a = p.parse_args()
    program = a.program[1:] if a.program[:1] == ["--"] else a.program
    s = listening(a.host, a.port, a.backlog)
    port = s.getsockname()[1]
    program = [str(port) if arg == "{port}" else arg.replace("{port}", str(port)) for arg in program]
    if a.mode == "exec":
        as_fd3(s, a.name)
        os.execv(program[0], program)
    print("launcher port %d" % port, flush=True)
    running = []
    for line in sys.stdin:
        command = line.strip()
        if command == "start":
            pid = os.fork()
            if pid == 0:
                try:
                    as_fd3(s, a.name)
                    os.execv(program[0], program)
                finally:
                    os._exit(127)
            running.append(pid)
            print("started %d" % pid, flush=True)
        elif command in ("stop", "quit"):
            for pid in (running[:1] if command == "stop" else list(running)):
                os.kill(pid, signal.SIGTERM)
                _, status = os.waitpid(pid, 0)
                running.remove(pid)
                print("exited %d %d" % (pid, os.waitstatus_to_exitcode(status)), flush=True)
            if command == "quit":
                break
        elif command:
            print("unknown command %r" % command, flush=True)
    for pid in running:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
