"""Cross-check IL105 against `lint-imports`, broken import by broken import.

Generates projects of its own making — a package of subpackages with
random imports between their modules, some of them to external packages —
each with one contract of every type import-linter ships (layers with
containers, independent and mutually allowed siblings and `exhaustive`;
forbidden with an external package and `allow_indirect_imports`;
independence; protected; acyclic_siblings; private_modules; wildcard
`ignore_imports`), runs `lint-imports` and `infralint check --select
IL105` on each, and compares, contract by contract:

- which module may not import which ("X is not allowed to import Y"), and
  every direct import that breaks a contract (importer, imported);
- the first import of each indirect chain (including the extra first
  imports import-linter lists with `&`) as a share that agrees: grimp
  returns one of several equally short chains, and which one varies from
  run to run (two runs of lint-imports differ too), so these are counted,
  not required to match;
- for acyclic_siblings, the dependencies between children it would remove
  (package, downstream child, upstream child);
- for exhaustive layers, the modules no layer lists.

Usage:

    python benchmarks/crosscheck_contracts.py [--projects 20] [--seed 1] [--keep DIR]

Prints one line per project and a total; exit 0 when every contract of
every project agrees, 1 otherwise (the differences are printed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Set, Tuple

Verdicts = Dict[str, Set[Tuple[str, ...]]]  # contract name -> broken items

PACKAGES = ("api", "service", "billing", "orders", "core")
MODULES = ("alpha", "beta", "gamma", "_hidden")
EXTERNAL = ("requests", "sqlalchemy.orm", "redis")

_RULE = re.compile(r"^-+$")
_FIRST = re.compile(r"^-\s+(?P<importer>[\w.]+)(?: -> (?P<imported>[\w.]+))? \(")
_EXTRA_FIRST = re.compile(r"^\s*&\s+(?P<importer>[\w.]+)(?: -> (?P<imported>[\w.]+))? \(")
_HEADER = re.compile(r"^(?P<importer>[\w.]+) is not allowed to import (?P<imported>[\w.]+):$")
_CYCLES = re.compile(r"^No cycles are allowed in (?P<package>[\w.]+)\.$")
_CYCLE_BREAKER = re.compile(r"^- \.(?P<down>\w+) -> \.(?P<up>\w+) \(\d+ imports?\)$")
_CYCLE_COUNT = re.compile(r"^It could be made acyclic by removing (?P<count>\d+) dependenc")
_UNDECLARED = re.compile(r"^- (?P<module>[\w.]+)$")


def make_project(root: Path, rng: random.Random) -> None:
    """A package `proj` of subpackages with random imports, and contracts."""
    modules = [f"proj.{package}.{module}" for package in PACKAGES for module in MODULES]
    (root / "proj").mkdir(parents=True)
    (root / "proj/__init__.py").write_text("")
    for package in PACKAGES:
        (root / "proj" / package).mkdir()
        (root / "proj" / package / "__init__.py").write_text("")
    for module in modules:
        imports = rng.sample([m for m in modules if m != module], rng.randint(0, 3))
        lines = [f"import {name}\n" if rng.random() < 0.5 else f"from {name.rsplit('.', 1)[0]} import {name.rsplit('.', 1)[1]}\n" for name in imports]
        if rng.random() < 0.25:
            lines.append(f"import {rng.choice(EXTERNAL)}\n")
        if rng.random() < 0.2:  # a function-level import, as real code has
            lines.append(f"\n\ndef later():\n    import {rng.choice(modules)}\n")
        (root / Path(*module.split("."))).with_suffix(".py").write_text("".join(lines))
    order = list(PACKAGES)
    rng.shuffle(order)
    sibling = rng.choice(" |:")
    layers = [f"proj.{order[0]}", f"proj.{order[1]} {sibling} proj.{order[2]}".replace("  ", " ") if sibling != " " else f"proj.{order[1]}"]
    layers += [f"proj.{name}" for name in order[3 if sibling != " " else 2:]]
    ignored = rng.choice(modules)
    contracts = f"""\
[importlinter]
root_package = proj
include_external_packages = True

[importlinter:contract:layers]
name = Layers
type = layers
layers =
{_lines(layers)}
ignore_imports =
    proj.*.{rng.choice(MODULES)} -> {ignored}
unmatched_ignore_imports_alerting = none

[importlinter:contract:contained]
name = Contained layers
type = layers
containers =
{_lines(f"proj.{name}" for name in PACKAGES)}
layers =
    alpha
    beta | gamma
exhaustive = {rng.choice(["true", "false"])}

[importlinter:contract:forbidden]
name = Forbidden
type = forbidden
source_modules = proj.{order[-1]}
forbidden_modules =
    proj.{order[0]}
    {rng.choice(EXTERNAL).split(".")[0]}
allow_indirect_imports = {rng.choice(["true", "false"])}

[importlinter:contract:independence]
name = Independence
type = independence
modules =
    proj.{order[1]}
    proj.{order[2]}

[importlinter:contract:protected]
name = Protected
type = protected
protected_modules = proj.{order[3]}.alpha
allowed_importers = proj.{order[3]}

[importlinter:contract:acyclic]
name = Acyclic
type = acyclic_siblings
ancestors = proj

[importlinter:contract:private]
name = Private
type = private_modules
"""
    (root / ".importlinter").write_text(contracts)
    (root / "pyproject.toml").write_text("[tool.infralint]\n")


def _lines(items) -> str:
    return "\n".join(f"    {item}" for item in items)


def lint_imports(root: Path) -> Verdicts:
    executable = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "10000"}
    run = subprocess.run([executable, "--no-cache"], cwd=root, env=env, capture_output=True, text=True)
    if run.returncode not in (0, 1) or "Contracts:" not in run.stdout:
        raise SystemExit(f"lint-imports failed in {root}:\n{run.stdout}\n{run.stderr}")
    lines = run.stdout.splitlines()
    verdicts: Verdicts = {}
    contract = None
    package = None
    undeclared = False
    firsts: List[str] = []  # importers of a chain's first import, waiting for the imported module
    started = False
    for index, line in enumerate(lines):
        if line.strip() == "Broken contracts":
            started = True
            continue
        if not started:
            continue
        if index + 1 < len(lines) and _RULE.match(lines[index + 1]) and line and not _RULE.match(line):
            contract = line.strip()
            verdicts.setdefault(contract, set())
            undeclared = False
            continue
        if contract is None:
            continue
        found = _verdict_items(line, firsts, lines[index + 1] if index + 1 < len(lines) else "")
        if found is not None:
            verdicts[contract].update(found)
            continue
        if (match := _HEADER.match(line)) is not None:
            verdicts[contract].add(("pair", match.group("importer"), match.group("imported")))
        if (match := _CYCLES.match(line)) is not None:
            package = match.group("package")
        elif (match := _CYCLE_COUNT.match(line)) is not None:
            # import-linter lists the first five; the count covers them all.
            verdicts[contract].add(("cycles", package, int(match.group("count"))))
        elif (match := _CYCLE_BREAKER.match(line)) is not None:
            verdicts[contract].add(("cycle", package, f"{package}.{match.group('down')}", f"{package}.{match.group('up')}"))
        elif line.startswith("The following modules are not listed as layers"):
            undeclared = True
        elif undeclared and (match := _UNDECLARED.match(line)) is not None:
            verdicts[contract].add(("undeclared", match.group("module")))
    return verdicts


def _verdict_items(line: str, firsts: List[str], following: str):
    """The first imports a chain line completes (None: not a first line);
    ``following``: the next line, which says whether the chain goes on."""
    # `&` lines are extra first imports only while a first line waits for
    # its imported module; deeper `&` lines are extra last imports.
    match = _FIRST.match(line) or (_EXTRA_FIRST.match(line) if firsts else None)
    if match is None or line.startswith("- .") or " imports)" in line or " import)" in line:
        return None
    if line.startswith("-"):
        firsts.clear()
    if match.group("imported") is None:
        firsts.append(match.group("importer"))
        return set()
    kind = "indirect" if following.startswith(" ") and "->" in following and "&" not in following else "direct"
    items = {(kind, importer, match.group("imported")) for importer in (*firsts, match.group("importer"))}
    firsts.clear()
    return items


def infralint(root: Path) -> Verdicts:
    run = subprocess.run(
        [sys.executable, "-m", "infralint", "check", "--no-cache", "--select", "IL105", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if run.returncode not in (0, 1):
        raise SystemExit(f"infralint failed in {root}:\n{run.stdout}\n{run.stderr}")
    verdicts: Verdicts = {}
    for finding in json.loads(run.stdout):
        contract = finding["message"].split('"')[1]
        items = verdicts.setdefault(contract, set())
        chain = finding.get("chain")
        if "is not listed as a layer" in finding["message"]:
            items.add(("undeclared", finding["message"].split(": ", 1)[1].split()[0]))
        elif finding["message"].split(": ", 1)[1].startswith("no cycles are allowed in "):
            package = finding["message"].split("no cycles are allowed in ", 1)[1].split(";")[0]
            depth = package.count(".") + 2
            down, up = (".".join(chain[0][key].split(".")[:depth]) for key in ("importer", "imported"))
            items.add(("cycle", package, down, up))
        else:
            items.add(("indirect" if len(chain) > 1 else "direct", chain[0]["importer"], chain[0]["imported"]))
            pair = re.match(r"(\S+) is not allowed to import (\S+?):", finding["message"].split(": ", 1)[1])
            if pair is not None and "protected" not in finding["message"]:
                items.add(("pair", pair.group(1), pair.group(2)))
    for items in verdicts.values():
        counts: Dict[str, int] = {}
        for item in items:
            if item[0] == "cycle":
                counts[item[1]] = counts.get(item[1], 0) + 1
        items.update(("cycles", package, count) for package, count in counts.items())
    return verdicts


def _agree(theirs: Set[Tuple[str, ...]], ours: Set[Tuple[str, ...]]) -> bool:
    """The same broken module pairs, direct imports, unlisted modules and
    cycle counts, and every cycle dependency lint-imports shows (five at
    most). Indirect chains are counted apart (see the module docstring)."""
    exact = ("pair", "direct", "undeclared", "cycles")
    return {item for item in theirs if item[0] in exact} == {item for item in ours if item[0] in exact} and {
        item for item in theirs if item[0] == "cycle"
    } <= ours


def _indirect(verdicts: Verdicts) -> Set[Tuple[str, ...]]:
    return {(name, *item) for name, items in verdicts.items() for item in items if item[0] == "indirect"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the generated projects in this directory")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="il105-crosscheck-"))
    disagreements = 0
    compared = 0
    indirect_same = indirect_all = 0
    for number in range(args.projects):
        root = base / f"project{number}"
        shutil.rmtree(root, ignore_errors=True)
        make_project(root, random.Random(args.seed * 1000 + number))
        theirs, ours = lint_imports(root), infralint(root)
        contracts = sorted(set(theirs) | set(ours))
        differing = [name for name in contracts if not _agree(theirs.get(name, set()), ours.get(name, set()))]
        items = sum(len(theirs.get(name, set())) for name in contracts)
        compared += items
        indirect_same += len(_indirect(theirs) & _indirect(ours))
        indirect_all += len(_indirect(theirs) | _indirect(ours))
        print(f"project{number}: {len(contracts)} broken contracts, {items} verdict items: {'agree' if not differing else 'DIFFER'}")
        for name in differing:
            disagreements += 1
            print(f"  {name}: lint-imports only {sorted(theirs.get(name, set()) - ours.get(name, set()))}")
            print(f"  {name}: infralint only   {sorted(ours.get(name, set()) - theirs.get(name, set()))}")
    print(f"{args.projects} projects, {compared} verdict items compared, {disagreements} contracts differ")
    share = f"{indirect_same / indirect_all:.0%}" if indirect_all else "-"
    print(f"indirect chains: the same first import in {indirect_same} of {indirect_all} ({share}; grimp picks one of equal routes)")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
