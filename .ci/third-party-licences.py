#!/usr/bin/env python3
"""Writes the licences of every Rust crate compiled into soapbox, for the release archive.

Usage: third-party-licences.py TARGET > THIRD-PARTY-LICENCES.md

It reads `cargo metadata --offline --locked` for TARGET (nothing is downloaded: the crates'
sources are already there from the build) and follows soapbox's normal dependencies, the ones
linked into the binary: not build scripts' or tests'. Each crate is listed with its version and
licence expression, then the licence files each crate ships, each distinct text once. The
output depends only on Cargo.lock and the crates' sources, so two runs give the same bytes.
"""

import hashlib
import json
import os
import subprocess
import sys

LICENCE_NAMES = ("licen", "copying", "notice", "unlicense", "copyright")


def metadata(target):
    command = ["cargo", "metadata", "--format-version", "1", "--offline", "--locked", "--filter-platform", target]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def linked_packages(meta):
    """The packages reached from the root through normal dependencies, the root left out."""
    nodes = {node["id"]: node for node in meta["resolve"]["nodes"]}
    root = meta["resolve"]["root"]
    seen, todo = set(), [root]
    while todo:
        node = nodes[todo.pop()]
        for dep in node["deps"]:
            if any(kind["kind"] is None for kind in dep["dep_kinds"]) and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                todo.append(dep["pkg"])
    packages = {package["id"]: package for package in meta["packages"]}
    return sorted((packages[i] for i in seen), key=lambda p: (p["name"], p["version"]))


def licence_files(package):
    """The licence files at the top of a crate's source, and a C library's own (mimalloc)."""
    folder = os.path.dirname(package["manifest_path"])
    found = []
    for base in [folder] + [os.path.join(folder, sub) for sub in ("c_src/mimalloc",)]:
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            path = os.path.join(base, name)
            if os.path.isfile(path) and name.lower().startswith(LICENCE_NAMES):
                found.append((os.path.relpath(path, folder).replace(os.sep, "/"), path))
    if package.get("license_file"):
        path = os.path.join(folder, package["license_file"])
        if os.path.isfile(path) and all(p != path for _, p in found):
            found.append((package["license_file"], path))
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: third-party-licences.py TARGET")
    packages = linked_packages(metadata(sys.argv[1]))
    # UTF-8 and plain line ends on every platform (Windows' console encoding cannot write
    # every licence's characters), so the listing is the same bytes everywhere.
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    out = sys.stdout
    out.write("# Licences of the Rust crates in soapbox\n\n")
    out.write(f"soapbox for `{sys.argv[1]}` is built from these {len(packages)} crates of crates.io, each under ")
    out.write("the licence expression shown. Their licence texts follow, each distinct text once.\n\n")
    out.write("| crate | version | licence |\n|---|---|---|\n")
    texts = {}
    for package in packages:
        licence = package.get("license") or f"see {package.get('license_file') or 'the crate'}"
        out.write(f"| {package['name']} | {package['version']} | {licence} |\n")
        for name, path in licence_files(package):
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read().replace("\r\n", "\n").strip() + "\n"
            digest = hashlib.sha256(text.encode()).hexdigest()
            texts.setdefault(digest, (text, []))[1].append(f"{package['name']} {package['version']} ({name})")
    out.write("\n## Licence texts\n")
    for text, users in sorted(texts.values(), key=lambda t: t[1][0]):
        out.write("\n---\n\n" + "".join(f"- {user}\n" for user in users) + "\n```text\n" + text.replace("```", "` ` `") + "```\n")
    missing = [p["name"] for p in packages if not licence_files(p)]
    if missing:
        out.write("\n## Crates that ship no licence file\n\nTheir licence is the expression in the table above: ")
        out.write(", ".join(missing) + ".\n")


if __name__ == "__main__":
    main()
