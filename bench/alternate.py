#!/usr/bin/env python3
"""Times commands run in turn, one run of each per round, and prints each one's median:
for commands whose difference is smaller than the machine's drift over a hyperfine run
(hyperfine runs all of one command, then all of the next).

    python3 bench/alternate.py ROUNDS "command one" "command two" ...

Each command is run once before timing (a warm-up); commands are split on spaces, not
given to a shell.
"""
import statistics
import subprocess
import sys
import time

rounds, commands = int(sys.argv[1]), sys.argv[2:]
times = {command: [] for command in commands}
for command in commands:
    subprocess.run(command.split(), stdout=subprocess.DEVNULL, check=True)
for _ in range(rounds):
    for command in commands:
        started = time.perf_counter()
        subprocess.run(command.split(), stdout=subprocess.DEVNULL, check=True)
        times[command].append(time.perf_counter() - started)
for command in commands:
    print(f"{statistics.median(times[command]) * 1000:8.1f} ms median of {rounds}  {command}")
