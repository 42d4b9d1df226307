"""A tiny assertion counter shared by the Python checks of the built site: each check
that holds is counted; the first that fails names its place and stops the script, and
the closing line reads 'NAME: N passed, M failed'."""
import sys


class Checks:
    def __init__(self, name):
        self.name = name
        self.passed = 0

    def check(self, condition, where, what):
        if not condition:
            print(f"FAIL {where}: {what}", file=sys.stderr)
            print(f"{self.name}: {self.passed} passed, 1 failed")
            sys.exit(1)
        self.passed += 1

    def done(self):
        print(f"{self.name}: {self.passed} passed, 0 failed")
