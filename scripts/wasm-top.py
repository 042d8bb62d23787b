#!/usr/bin/env python3
"""Lists the largest functions of a wasm file that still has its name section, grouped by crate.

Usage: python3 scripts/wasm-top.py target/wasm32-unknown-unknown/wasm-split/seller-support.wasm [N]
Build that file with: cargo build -p seller-support --bin seller-support --target wasm32-unknown-unknown --profile wasm-split
(Without `--features split`: the whole app in one module.)
(Raw rustc output, before wasm-bindgen and wasm-opt: the proportions are what matters.)
"""
import re
import sys
from collections import Counter


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    b = open(path, "rb").read()
    i = 8
    imported = 0
    bodies = []
    names = {}
    while i < len(b):
        sid = b[i]
        i += 1
        size, i = leb(b, i)
        end = i + size
        if sid == 2:  # imports: functions among them shift the indices
            n, j = leb(b, i)
            for _ in range(n):
                for _ in range(2):
                    ln, j = leb(b, j)
                    j += ln
                kind = b[j]
                j += 1
                if kind == 0:
                    _, j = leb(b, j)
                    imported += 1
                elif kind == 1:
                    j += 1
                    flags, j = leb(b, j)
                    _, j = leb(b, j)
                    if flags & 1:
                        _, j = leb(b, j)
                elif kind == 2:
                    flags, j = leb(b, j)
                    _, j = leb(b, j)
                    if flags & 1:
                        _, j = leb(b, j)
                elif kind == 3:
                    j += 2
        elif sid == 10:
            n, j = leb(b, i)
            for _ in range(n):
                sz, j2 = leb(b, j)
                bodies.append(sz + (j2 - j))
                j = j2 + sz
        elif sid == 0:
            ln, j = leb(b, i)
            if b[j : j + ln] == b"name":
                j += ln
                while j < end:
                    sub = b[j]
                    j += 1
                    ssz, j = leb(b, j)
                    send = j + ssz
                    if sub == 1:
                        cnt, k = leb(b, j)
                        for _ in range(cnt):
                            idx, k = leb(b, k)
                            nl, k = leb(b, k)
                            names[idx] = b[k : k + nl].decode("utf-8", "replace")
                            k += nl
                    j = send
        i = end
    total = sum(bodies)
    rows = [(sz, names.get(imported + k, f"func{imported + k}")) for k, sz in enumerate(bodies)]
    rows.sort(reverse=True)
    print(f"code bytes: {total}  functions: {len(bodies)}")
    for sz, name in rows[:top]:
        print(f"{sz:8d}  {name[:150]}")
    # Mangled names: attribute each function to the first known crate its path mentions
    # (a generic instance counts for the crate that owns the generic code).
    crates = ["seller_support", "domain", "tachys", "leptos_router", "leptos", "reactive_graph",
              "serde_json", "serde_core", "serde", "either_of", "wasm_bindgen", "web_sys", "js_sys",
              "dlmalloc", "alloc", "core", "std"]
    by_crate = Counter()
    for sz, name in rows:
        hit = min(((name.find(c), c) for c in crates if c in name), default=(0, "?"))[1]
        by_crate[hit] += sz
    print("\nby first crate named:")
    for crate, sz in by_crate.most_common(25):
        print(f"{sz:8d}  {crate}")
    # One generic function monomorphised for many types (e.g. one view closure type each) shows up
    # here as a high instance count: the hash suffix is what tells the instances apart.
    by_generic = Counter()
    instances = Counter()
    for sz, name in rows:
        key = re.sub(r"(17h[0-9a-f]{16}E|\.\d+)$", "", name)
        by_generic[key] += sz
        instances[key] += 1
    print("\nby generic function (bytes, instances):")
    for key, sz in by_generic.most_common(top):
        print(f"{sz:8d} {instances[key]:5d}  {key[:140]}")


if __name__ == "__main__":
    main()
