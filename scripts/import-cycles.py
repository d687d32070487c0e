#!/usr/bin/env python3
"""Import circles between the modules of the crates in crates/ (part of `make test`).

A module is a file; module A uses B when A names `crate::b::...`, `super::b::...`,
`domain::b::...` and so on. A module using its own parent (the namespace it lives in, e.g.
`super::ApiError` from http/mod.rs) is not counted: the parent declares the child, so every
child would otherwise be in a circle. Any other circle is printed and fails the check.
Usage: scripts/import-cycles.py [crates-dir]
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "crates")
PATH = re.compile(r"\b(crate|super|self|[a-z_][a-z0-9_]*)((?:::[a-z_][a-z0-9_]*)+)")


def modules():
    """{(crate, ('http', 'auth')): file}"""
    found = {}
    for crate in sorted(p for p in root.iterdir() if (p / "src").is_dir()):
        name = crate.name
        for file in (crate / "src").rglob("*.rs"):
            rel = file.relative_to(crate / "src").with_suffix("")
            parts = list(rel.parts)
            if parts[0] == "bin":
                continue
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            found[(name, tuple(parts))] = file
    return found


def strip(text):
    """The code without comments and string literals (doc links and SQL name no modules)."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def resolve(known, crate, here, head, tail):
    if head == "crate":
        base = ()
    elif head == "super":
        base = here[:-1]
    elif head == "self":
        base = here
    elif any(c == head for c, _ in known):
        crate, base = head, ()
    else:
        return None
    names = [n for n in tail.split("::") if n]
    while names and names[0] == "super":
        base, names = base[:-1], names[1:]
    target = base
    best = base if (crate, base) in known else None
    for n in names:
        target = target + (n,)
        if (crate, target) in known:
            best = target
    return (crate, best) if best is not None else None


def main():
    known = modules()
    uses = {m: set() for m in known}
    for (crate, here), file in known.items():
        for head, tail in PATH.findall(strip(file.read_text())):
            target = resolve(known, crate, here, head, tail)
            if target is None or target == (crate, here):
                continue
            # A child naming its parent (or any module it lives in) is not a circle.
            if target[0] == crate and here[: len(target[1])] == target[1]:
                continue
            uses[(crate, here)].add(target)
    circles, seen = [], set()

    def walk(node, stack):
        for nxt in sorted(uses[node]):
            if nxt in stack:
                circle = stack[stack.index(nxt):] + [nxt]
                key = frozenset(circle)
                if key not in seen:
                    seen.add(key)
                    circles.append(circle)
            elif len(stack) < 12:
                walk(nxt, stack + [nxt])

    for node in sorted(uses):
        walk(node, [node])
    name = lambda m: m[0] + "::" + "::".join(m[1]) if m[1] else m[0]
    for circle in circles:
        print("import circle: " + " -> ".join(name(m) for m in circle))
    print(f"{len(known)} modules, {sum(len(u) for u in uses.values())} uses, {len(circles)} circles")
    return 1 if circles else 0


sys.exit(main())
