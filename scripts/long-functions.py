#!/usr/bin/env python3
"""Functions longer than a limit (part of `make test`): a function a reader cannot see whole is
one to split. Counts the lines from `fn` to its closing brace, tests (`#[cfg(test)]` modules
and `tests/`) excepted. Usage: scripts/long-functions.py LIMIT DIR...
"""
import pathlib
import re
import sys

FN = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(\w+)")


def code(line):
    """The line without its string literals and comment (braces in them do not count)."""
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(?:\\.|[^'\\])'", "''", line)
    return line.split("//", 1)[0]


def long_functions(file, limit):
    lines = file.read_text().splitlines()
    found, i = [], 0
    while i < len(lines):
        if lines[i].strip().startswith("#[cfg(test)]"):
            break  # test modules close the file in this codebase
        m = FN.match(lines[i])
        if not m:
            i += 1
            continue
        depth, opened, j = 0, False, i
        while j < len(lines):
            text = code(lines[j])
            if not opened and ";" in text and "{" not in text:
                break  # a declaration without a body
            depth += text.count("{") - text.count("}")
            opened = opened or "{" in text
            if opened and depth <= 0:
                break
            j += 1
        length = j - i + 1
        if opened and length > limit:
            found.append((length, f"{file}:{i + 1} {m.group(1)}"))
        i += 1  # nested functions are measured too
    return found


limit = int(sys.argv[1])
found = []
for root in sys.argv[2:]:
    for file in sorted(pathlib.Path(root).rglob("*.rs")):
        found += long_functions(file, limit)
for length, where in sorted(found, reverse=True):
    print(f"{length:4} lines  {where}")
print(f"{len(found)} functions over {limit} lines in {' '.join(sys.argv[2:])}")
sys.exit(1 if found else 0)
