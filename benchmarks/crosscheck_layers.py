"""Cross-check IL101 + IL103 against import-linter's `layers` contract.

Runs `lint-imports` with an equivalent contract and `infralint check
--select IL101,IL103` on the same project, and compares what each says is
broken, per layer of infralint's layer model:

- direct imports (importer module, imported module): import-linter's
  one-link chains against IL101;
- indirect dependencies (first module of the chain, layer reached):
  import-linter's longer chains against IL103. import-linter shows a sample
  of the routes (it drops each route's imports once shown), IL103 every
  import that starts one, so IL103 may list more: each extra chain is
  checked import by import on grimp's graph, and through modules of no
  layer only;
- the broken layer pairs, direct and indirect together.

Usage (import-linter is not a dependency of infralint; install it first):

    pip install import-linter
    python benchmarks/crosscheck_layers.py PROJECT CONTRACT [--pythonpath DIR]

``--pythonpath`` is where the project's top-level packages are (relative to
PROJECT; ``src`` for a src layout). Exit 0 when both agree, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple

from infralint.config import load_settings
from infralint.layers import LayerModel
from infralint.project import Project

Direct = Tuple[str, str]  # importer module, imported module
Indirect = Tuple[str, str]  # first module of the chain, layer reached

_HEADER = re.compile(r"^(?P<importer>\S+) is not allowed to import (?P<imported>\S+):$")
_LINK = re.compile(r"^[-&\s]*(?P<importer>[\w.]+) -> (?P<imported>[\w.]+) \(l\.")
_FAN = re.compile(r"^[-&\s]*(?P<module>[\w.]+) \(l\.")


def run_import_linter(project: Path, contract: Path, pythonpath: Path) -> Tuple[Set[Direct], Set[Tuple[str, str]]]:
    """(direct imports, (chain head, imported layer package)) that
    `lint-imports` reports broken."""
    executable = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    # Wide: rich wraps long chains at the terminal width.
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "COLUMNS": "10000"}
    run = subprocess.run(
        [executable, "--config", str(contract.resolve()), "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode not in (0, 1):
        raise SystemExit(f"lint-imports failed:\n{run.stdout}\n{run.stderr}")
    return parse_import_linter(run.stdout + run.stderr)


def parse_import_linter(output: str) -> Tuple[Set[Direct], Set[Tuple[str, str]]]:
    direct: Set[Direct] = set()
    indirect: Set[Tuple[str, str]] = set()
    imported_layer = ""
    block: List[str] = []

    def finish() -> None:
        links = [_LINK.match(line) for line in block]
        link_lines = [match for match in links if match]
        if not link_lines:
            return
        # Fan-in: heads are listed alone ("- a (l.1)", "& b (l.2)") up to
        # the first line with an arrow, whose importer is the last head.
        heads = [_FAN.match(line)["module"] for line in block[: links.index(link_lines[0])] if _FAN.match(line)]
        heads.append(link_lines[0]["importer"])
        if len(link_lines) == 1:
            tails = [link_lines[0]["imported"]] + [
                match["module"] for line in block[links.index(link_lines[0]) + 1 :] if (match := _FAN.match(line))
            ]
            direct.update((head, tail) for head in heads for tail in tails)
        else:
            indirect.update((head, imported_layer) for head in heads)

    for line in output.splitlines():
        header = _HEADER.match(line.strip())
        if header or line.startswith("- ") or not line.strip():
            finish()
            block = []
        if header:
            imported_layer = header["imported"]
        elif line.startswith("- ") or (block and line.startswith("  ")):
            block.append(line)
    finish()
    return direct, indirect


def run_infralint(project: Path) -> Tuple[Set[Direct], Dict[Tuple[str, str], List[str]]]:
    """(IL101 importer and imported modules, (IL103 chain head, last module) -> chain)."""
    run = subprocess.run(
        [sys.executable, "-m", "infralint", "check", "--select", "IL101,IL103", "--format", "json", "--exit-zero"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise SystemExit(f"infralint failed:\n{run.stderr}")
    settings = load_settings([], cwd=project)
    modules = Project(settings)
    direct: Set[Direct] = set()
    indirect: Dict[Tuple[str, str], List[str]] = {}
    for finding in json.loads(run.stdout):
        if finding["code"] == "IL101":
            importer = modules.module_name(project / finding["path"]) or ""
            direct.add((importer, finding["message"].rsplit(" ", 1)[1]))
        else:
            chain = finding["message"].split(": ", 1)[1].split(" -> ")
            indirect.setdefault((chain[0], chain[-1]), chain)
    return direct, indirect


def verify_chains(chains: List[List[str]], contract: Path, pythonpath: Path, layers: LayerModel) -> List[str]:
    """The problems of chains: an import grimp does not know, or a module
    in the middle that belongs to a layer."""
    import configparser

    import grimp

    config = configparser.ConfigParser()
    config.read(contract)
    section = config["importlinter"]
    roots = (section.get("root_packages") or section.get("root_package")).split()
    sys.path.insert(0, str(pythonpath))
    graph = grimp.build_graph(*roots, cache_dir=None)
    problems = []
    for chain in chains:
        for importer, imported in zip(chain, chain[1:]):
            if not graph.direct_import_exists(importer=importer, imported=imported):
                problems.append(f"no import {importer} -> {imported}")
        problems.extend(f"{module} is in a layer" for module in chain[1:-1] if layers.layer_of_module(module))
    return problems


def compare(project: Path, contract: Path, pythonpath: Path) -> bool:
    layers: LayerModel = Project(load_settings([], cwd=project)).layers

    def layer(module: str) -> str:
        found = layers.layer_of_module(module)
        return found.name if found else f"? {module}"

    linter_direct, linter_chains = run_import_linter(project, contract, pythonpath)
    infralint_direct, infralint_chains = run_infralint(project)
    linter_heads = {(head, layer(package)) for head, package in linter_chains}
    infralint_heads = {(head, layer(tail)) for head, tail in infralint_chains}
    linter_pairs = {(layer(a), layer(b)) for a, b in linter_direct} | {(layer(h), reached) for h, reached in linter_heads}
    infralint_pairs = {(layer(a), layer(b)) for a, b in infralint_direct} | {
        (layer(h), reached) for h, reached in infralint_heads
    }
    print(f"{project.name}: import-linter contract {contract.name}")
    agree = _same("direct imports (IL101)", linter_direct, infralint_direct)
    agree &= _same("broken layer pairs", linter_pairs, infralint_pairs)
    missing = linter_heads - infralint_heads
    extra = [chain for (head, tail), chain in sorted(infralint_chains.items()) if (head, layer(tail)) not in linter_heads]
    problems = verify_chains(extra, contract, pythonpath, layers)
    verdict = "same" if not missing and not extra else "IL103 lists more" if not missing and not problems else "DIFFERENT"
    print(
        f"  chain heads and the layer reached (IL103): import-linter {len(linter_heads)}, "
        f"infralint {len(infralint_heads)}: {verdict}"
    )
    for head, reached in sorted(missing):
        print(f"    only import-linter: {head} -> {reached}")
    if extra:
        print(f"    {len(extra)} more chains in IL103, each import checked on grimp's graph: {problems or 'all real'}")
    return agree and not missing and not problems


def _same(title: str, expected: Set[Tuple[str, str]], found: Set[Tuple[str, str]]) -> bool:
    same = expected == found
    print(f"  {title}: import-linter {len(expected)}, infralint {len(found)}: {'same' if same else 'DIFFERENT'}")
    for item in sorted(expected - found):
        print(f"    only import-linter: {' -> '.join(item)}")
    for item in sorted(found - expected):
        print(f"    only infralint:     {' -> '.join(item)}")
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("contract", type=Path)
    parser.add_argument("--pythonpath", default=".", help="relative to PROJECT (default: .)")
    args = parser.parse_args()
    project = args.project.resolve()
    return 0 if compare(project, args.contract, project / args.pythonpath) else 1


if __name__ == "__main__":
    sys.exit(main())
