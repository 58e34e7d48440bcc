#!/usr/bin/env python3
"""Time infralint side by side with its peers, in one run, on one tree.

Rows (median wall time of --repeat runs, peak RSS, ratios):

- a plain single-process loop that reads and ``ast.parse``s every .py file
  (the baseline: the least any ast-based linter has to do),
- ``infralint check`` cold (``--no-cache``), warm (every file cached) and
  with one file changed since the cached run,
- ``ruff check --select ALL --exit-zero --no-cache``,
- ``fixit lint`` (Fixit 2), ``pylint`` and ``flake8`` on a subdirectory
  (default ``db/models`` of the Django tree: Fixit and pylint are slow),
  with the baseline and infralint timed on the same subdirectory so the
  ratios compare like with like,
- start-up: the bare interpreter, ``infralint --version`` and
  ``infralint check`` of one file,
- linearity: the baseline and a cold infralint on 2 and 4 copies of the
  tree.

The report ends with the issue's targets, each marked met or not. The
default tree is the ``django/`` package of the Django 5.2.8 sdist,
downloaded once into ``benchmarks/_work``. This is a script, not a test:
budgets are ratios checked by a human, never timed assertions in CI.

    python benchmarks/run.py --install-tools      # once: ruff, fixit, pylint, flake8
    python benchmarks/run.py [--tree PATH] [--repeat 3] [--output FILE]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "_work"
TOOLS_VENV = WORK / "venv"
TOOLS_PACKAGES = ("ruff", "fixit", "pylint", "flake8")
DJANGO_VERSION = "5.2.8"
DJANGO_SUBDIR = "db/models"
ALL_TOOLS = ("ast", "infralint", "ruff", "fixit", "pylint", "flake8", "startup", "copies")
COPIES = (2, 4)
# The file edited before each run of the "one file changed" row.
EDITED_FILE = "db/models/constants.py"

# Children write bytecode as any installed package does: where this
# environment forbids it, every run would recompile infralint's modules.
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}

# The baseline, run as a child process like every other tool (so interpreter
# start-up is included on both sides of the ratio).
AST_LOOP = """
import ast, os, sys
count = 0
for top in sys.argv[1:]:
    for directory, subdirectories, names in os.walk(top):
        subdirectories.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                with open(path, "rb") as handle:
                    source = handle.read()
                try:
                    ast.parse(source, path)
                except (SyntaxError, ValueError):
                    pass
                count += 1
print(count, "files parsed")
"""


@dataclass
class Command:
    tool: str  # row label
    argv: List[str]
    cwd: Path
    target: str  # the linted path, relative to cwd
    ok_codes: FrozenSet[int] = frozenset({0})
    note: str = ""
    # Called before every run (warm-up runs included) with the run's index.
    before_each: Optional[Callable[[int], None]] = None
    # Untimed runs first, at least (the warm cache rows need one).
    min_warmup: int = 0
    # Compared with the baseline and with the peers (cold infralint rows).
    baseline_row: bool = True


@dataclass
class Result:
    command: Optional[Command]
    tool: str
    target: str
    files: int
    times: List[float] = field(default_factory=list)
    cpu_times: List[float] = field(default_factory=list)
    peak_rss_kb: Optional[int] = None
    status: str = "ok"
    last_stderr: str = ""

    @property
    def median(self) -> Optional[float]:
        return statistics.median(self.times) if self.status == "ok" and self.times else None

    @property
    def median_cpu(self) -> Optional[float]:
        return statistics.median(self.cpu_times) if self.status == "ok" and self.cpu_times else None


@dataclass
class Run:
    seconds: float
    peak_rss_kb: Optional[int]
    # User + system time of the process and its reaped workers.
    cpu_seconds: Optional[float]
    exit_code: int
    stderr: str
    timed_out: bool = False


# --- running one command -----------------------------------------------------


def run_once(argv: Sequence[str], cwd: Path, timeout: float) -> Run:
    """Run ``argv`` once: wall time (perf_counter), exit code, peak RSS.

    Peak RSS comes from ``os.wait4`` on this child: Linux folds the peak of
    the child's reaped descendants into it, so for a tool with worker
    processes it is the largest single process of its tree, not the sum.
    (``getrusage(RUSAGE_CHILDREN)`` would be a running maximum over every
    child this script ever waited for, useless after the first big tool.)
    """
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(argv), cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, start_new_session=True, env=CHILD_ENV
        )
        timed_out = threading.Event()

        def kill() -> None:  # the whole process group we started, nothing else
            timed_out.set()
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            if hasattr(os, "wait4"):
                _, status, usage = os.wait4(process.pid, 0)
                seconds = time.perf_counter() - start
                process.returncode = os.waitstatus_to_exitcode(status)
                # ru_maxrss is in KiB on Linux, in bytes on macOS.
                rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
                cpu: Optional[float] = usage.ru_utime + usage.ru_stime
            else:  # Windows: no rusage
                process.wait()
                seconds = time.perf_counter() - start
                rss = cpu = None
        finally:
            timer.cancel()
        stderr.seek(0)
        error_text = stderr.read().decode("utf-8", "replace")
    return Run(seconds, rss, cpu, process.returncode, error_text, timed_out.is_set())


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""


def measure(command: Command, files: int, repeat: int, warmup: int, timeout: float) -> Result:
    result = Result(command, command.tool, command.target, files)
    warmup = max(warmup, command.min_warmup)
    runs: List[Run] = []
    for index in range(warmup + repeat):
        if command.before_each is not None:
            command.before_each(index)
        run = run_once(command.argv, command.cwd, timeout)
        if run.timed_out:
            result.status = f"timeout after {timeout:.0f} s"
            return result
        if run.exit_code not in command.ok_codes:
            reason = last_line(run.stderr)
            result.status = f"failed (exit {run.exit_code})" + (f": {reason}" if reason else "")
            return result
        if index >= warmup:
            runs.append(run)
        result.last_stderr = run.stderr
    result.times = [run.seconds for run in runs]
    result.cpu_times = [run.cpu_seconds for run in runs if run.cpu_seconds is not None]
    rss = [run.peak_rss_kb for run in runs if run.peak_rss_kb is not None]
    result.peak_rss_kb = max(rss) if rss else None
    return result


# --- tools -------------------------------------------------------------------


def venv_executable(venv: Path, name: str) -> Optional[Path]:
    folder = venv / ("Scripts" if os.name == "nt" else "bin")
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.is_file():
            return candidate
    return None


def interpreter_of(executable: Optional[str], fallback: str) -> str:
    """The interpreter beside a console script (its venv's python): the start-up rows compare like with like,
    whereas the interpreter running this script may load .pth files that infralint's never sees."""
    if executable is not None:
        beside = venv_executable(Path(executable).parent.parent, "python")
        if beside is not None:
            return str(beside)
    return fallback


def find_tool(name: str, explicit: Optional[str] = None) -> Optional[str]:
    """An explicit path, else the tools venv, else the repository's venv, else PATH."""
    if explicit:
        return explicit if Path(explicit).exists() or shutil.which(explicit) else None
    for venv in (TOOLS_VENV, REPO / ".venv"):
        found = venv_executable(venv, name)
        if found is not None:
            return str(found)
    return shutil.which(name)


def tool_version(executable: Optional[str]) -> str:
    if executable is None:
        return "not installed"
    try:
        done = subprocess.run(
            [executable, "--version"], check=False, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"unknown ({error})"
    if not (done.stdout or done.stderr):
        return "unknown"
    # The first line, without what some tools add in parentheses (flake8's plugins).
    return (done.stdout.strip() or done.stderr.strip()).splitlines()[0].split(" (")[0]


def install_tools(python: str) -> None:
    if venv_executable(TOOLS_VENV, "python") is None:
        subprocess.run([python, "-m", "venv", str(TOOLS_VENV)], check=True)
    tools_python = str(venv_executable(TOOLS_VENV, "python"))
    subprocess.run([tools_python, "-m", "pip", "install", "--upgrade", *TOOLS_PACKAGES], check=True)


# --- the tree ----------------------------------------------------------------


def django_sdist(python: str) -> Path:
    """The cached Django sdist, unpacked in benchmarks/_work (downloaded once)."""
    unpacked = WORK / f"django-{DJANGO_VERSION}"
    if (unpacked / "django" / "__init__.py").is_file():
        return unpacked
    WORK.mkdir(parents=True, exist_ok=True)
    archive = WORK / f"django-{DJANGO_VERSION}.tar.gz"
    if not archive.is_file():
        print(f"downloading the Django {DJANGO_VERSION} sdist into {WORK} ...", file=sys.stderr)
        subprocess.run(
            [python, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", f"django=={DJANGO_VERSION}", "-d", str(WORK)],
            check=True,
        )
    with tarfile.open(archive) as sdist:
        if hasattr(tarfile, "data_filter"):
            sdist.extractall(WORK, filter="data")
        else:  # Python < 3.12 without the backported filter
            sdist.extractall(WORK)
    return unpacked


def django_workspace(python: str, scratch: Path) -> Tuple[Path, str]:
    """A fresh copy of django/ outside this repository, as (cwd, "django").

    The cached copy sits in benchmarks/_work, which this repository's
    .gitignore and [tool.infralint] exclude: linted in place, a tool that
    honours them would see no files. The copy also keeps every cache a tool
    might write out of the cached tree.
    """
    sdist = django_sdist(python)
    root = scratch / sdist.name
    shutil.copytree(sdist / "django", root / "django")
    shutil.copy2(sdist / "pyproject.toml", root / "pyproject.toml")  # the project root marker
    return root, "django"


def python_files(path: Path) -> int:
    if path.is_file():
        return 1
    return sum(1 for _, _, names in os.walk(path) for name in names if name.endswith(".py"))


# --- the report --------------------------------------------------------------


def machine_info() -> List[str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
        cpu = models[0] if models else cpu
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return [
        f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.platform()} ({platform.machine()}), {cpu}",
        f"- CPUs: {os.cpu_count()} ({usable} usable); load average at start: {load}",
        f"- Python (baseline loop and infralint): {platform.python_implementation()} {platform.python_version()}",
    ]


def format_seconds(value: Optional[float]) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def ratio(numerator: Optional[float], denominator: Optional[float]) -> str:
    if numerator is None or denominator is None or denominator <= 0:
        return "—"
    return f"{numerator / denominator:.2f}×"


def _by(results: List[Result], tool: str) -> Dict[str, Result]:
    return {r.target: r for r in results if r.tool == tool}


def _median(results: List[Result], tool: str, target: str) -> Optional[float]:
    found = _by(results, tool).get(target)
    return found.median if found else None


def render_table(results: List[Result]) -> List[str]:
    lines = [
        "| row | tree | files | median wall | median CPU | peak RSS MB | ratio to ast.parse loop | ratio infralint cold/row |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    baselines = {target: r.median for target, r in _by(results, BASELINE).items()}
    cold = {target: r.median for target, r in _by(results, COLD).items()}
    for r in results:
        median = format_seconds(r.median) if r.status == "ok" else r.status
        rss = f"{r.peak_rss_kb / 1024:.0f}" if r.peak_rss_kb is not None else "—"
        compared = r.command is not None and r.command.baseline_row
        to_baseline = ratio(r.median, baselines.get(r.target)) if compared else "—"
        peer = compared and r.tool != BASELINE and not r.tool.startswith("infralint")
        to_cold = ratio(cold.get(r.target), r.median) if peer else "—"
        note = f" ({r.command.note})" if r.command is not None and r.command.note else ""
        cpu = format_seconds(r.median_cpu) if r.status == "ok" else "—"
        lines.append(f"| {r.tool}{note} | `{r.target}` | {r.files} | {median} | {cpu} | {rss} | {to_baseline} | {to_cold} |")
    return lines


def render_linearity(results: List[Result], target: str, copies: Dict[int, str]) -> List[str]:
    lines = [
        "| copies | files | ast.parse loop | infralint cold | ms per file | per file vs 1× | CPU ms per file | CPU per file vs 1× |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    one = _by(results, COLD).get(target)
    for count, on in {1: target, **copies}.items():
        row = _by(results, COLD).get(on)
        if row is None or one is None:
            continue
        wall, cpu = _per_file(row, "median"), _per_file(row, "median_cpu")
        lines.append(
            f"| {count}× | {row.files} | {format_seconds(_median(results, BASELINE, on))} | {format_seconds(row.median)} "
            f"| {_milliseconds(wall)} | {ratio(wall, _per_file(one, 'median'))} "
            f"| {_milliseconds(cpu)} | {ratio(cpu, _per_file(one, 'median_cpu'))} |"
        )
    return lines


def _milliseconds(seconds: Optional[float]) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.2f}"


def _per_file(row: Optional[Result], statistic: str) -> Optional[float]:
    """A row's median wall or CPU time per file."""
    value = getattr(row, statistic) if row is not None else None
    return value / row.files if value and row is not None and row.files else None


def render_targets(results: List[Result], target: str, sub_target: str, copies: Dict[int, str]) -> List[str]:
    """The issue's targets, each with the figure and whether it is met."""

    def line(name: str, figure: Optional[float], limit: float, text: str, smaller: bool = True) -> str:
        if figure is None:
            return f"- {name}: not measured"
        met = figure <= limit if smaller else figure >= limit
        return f"- {name}: {text} — {'met' if met else '**not met**'}"

    baseline = _median(results, BASELINE, target)
    cold, warm = _median(results, COLD, target), _median(results, WARM, target)
    changed = _by(results, CHANGED).get(target)
    fixit, cold_sub = _median(results, "fixit", sub_target), _median(results, COLD, sub_target)
    rss = _by(results, COLD).get(target)
    version, one_file = _by(results, VERSION), _by(results, ONE_FILE)
    cpu = {tool: _by(results, tool).get(target) for tool in (BASELINE, COLD, WARM)}
    cpu_ratio = {
        tool: ratio(row.median_cpu if row else None, cpu[BASELINE].median_cpu if cpu[BASELINE] else None)
        for tool, row in cpu.items()
    }
    lines = [
        line("cold ≤ 2× the ast.parse loop (stretch 1.5×)", _quotient(cold, baseline), 2.0, f"{ratio(cold, baseline)} (CPU {cpu_ratio[COLD]})"),
        line("warm ≤ 0.2× the ast.parse loop", _quotient(warm, baseline), 0.2, f"{ratio(warm, baseline)} (CPU {cpu_ratio[WARM]})"),
    ]
    relinted = _relinted(changed.last_stderr) if changed is not None else None
    lines.append(
        line("one file changed re-lints one file", relinted, 1, f"{relinted} file(s) re-linted")
        if relinted is not None
        else "- one file changed re-lints one file: not measured"
    )
    lines.append(line("≥ 50× faster than Fixit on the subdirectory", _quotient(fixit, cold_sub), 50, f"{ratio(fixit, cold_sub)} faster", smaller=False))
    peak = rss.peak_rss_kb / 1024 if rss is not None and rss.peak_rss_kb is not None else None
    lines.append(line("peak RSS ≤ 300 MB (cold, largest process)", peak, 300, f"{peak:.0f} MB" if peak else ""))
    for name, rows in (("`infralint --version` < 150 ms", version), ("`infralint check` of one file < 150 ms", one_file)):
        median = next(iter(rows.values())).median if rows else None
        lines.append(line(name, median, 0.150, format_seconds(median)))
    cold_rows = _by(results, COLD)
    one = _per_file(cold_rows.get(target), "median")
    worst = max((_quotient(_per_file(cold_rows.get(on), "median"), one) or 0 for on in copies.values()), default=None)
    lines.append(line("linear in files (per-file time at 2× and 4× within 1.25× of 1×)", worst, 1.25, f"worst per-file ratio {worst:.2f}×" if worst else ""))
    return lines


def _quotient(numerator: Optional[float], denominator: Optional[float]) -> Optional[float]:
    return numerator / denominator if numerator is not None and denominator else None


def _relinted(stderr: str) -> Optional[int]:
    """From ``--verbose``: "infralint: 882 of 883 files from the cache"."""
    import re

    found = re.search(r"(\d+) of (\d+) files from the cache", stderr)
    return int(found.group(2)) - int(found.group(1)) if found else None


def render(
    results: List[Result],
    header: List[str],
    versions: Dict[str, str],
    repeat: int,
    targets: Tuple[str, str, Dict[int, str]],
) -> str:
    target, sub_target, copies = targets
    lines = ["# infralint benchmark", "", *header, "", *render_table(results), ""]
    lines += [
        f"Median wall time of {repeat} run(s) per row, each a fresh process (interpreter start-up included);",
        "CPU is user + system time, worker processes included. Ratios are of wall times. Peak RSS is the",
        "largest single process of the tool's process tree (worker processes are not summed).",
        "`ratio infralint cold/row` below 1 means a cold infralint is faster on the same tree.",
        "",
    ]
    if copies:
        lines += ["## Linearity", "", *render_linearity(results, target, copies), ""]
    lines += ["## Targets", "", *render_targets(results, target, sub_target, copies), ""]
    lines += ["Versions: " + "; ".join(f"{tool}: {version}" for tool, version in versions.items()), ""]
    lines += ["Commands (run from the tree's project root):", ""]
    seen = set()
    for r in results:
        if r.command is not None and tuple(r.command.argv) not in seen:
            seen.add(tuple(r.command.argv))
            argv = [Path(r.command.argv[0]).name, *r.command.argv[1:]]
            shown = " ".join(f"'<{LOOP_NAMES[a]}>'" if a in LOOP_NAMES else a for a in argv)
            lines.append(f"- {r.tool}: `{shown}`")
    return "\n".join(lines) + "\n"


# --- main --------------------------------------------------------------------

BASELINE = "ast.parse loop"
COLD = "infralint cold"
WARM = "infralint warm"
CHANGED = "infralint, one file changed"
VERSION = "infralint --version"
ONE_FILE = "infralint check, one file"
LOOP_NAMES = {AST_LOOP: "loop: read + ast.parse every .py file", "pass": "nothing"}


def parse_arguments(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, help="lint this directory instead of Django's django/ package")
    parser.add_argument(
        "--fixit-subdir",
        help=f"subdirectory of the tree for Fixit, pylint and flake8 (default: {DJANGO_SUBDIR} for Django, the whole tree otherwise; '' for the whole tree)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per row (default: 3)")
    parser.add_argument("--warmup", type=int, default=0, help="untimed runs per row before timing (default: 0)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before one run is killed (default: 1800)")
    parser.add_argument("--skip", action="append", default=[], choices=ALL_TOOLS, help="leave a row group out (repeatable)")
    parser.add_argument("--infralint", help="the infralint executable (default: the repository's .venv, else PATH)")
    parser.add_argument("--install-tools", action="store_true", help=f"create {TOOLS_VENV} with {', '.join(TOOLS_PACKAGES)} first")
    parser.add_argument("--output", type=Path, help="also write the Markdown report to this file")
    arguments = parser.parse_args(argv)
    if arguments.repeat < 1 or arguments.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")
    return arguments


def make_copies(cwd: Path, target: str, counts: Sequence[int]) -> Dict[int, str]:
    """``xN/copyK/<tree>`` for each count N: N copies of the tree side by side."""
    made = {}
    for count in counts:
        for index in range(count):
            shutil.copytree(cwd / target, cwd / f"x{count}" / f"copy{index}" / Path(target).name)
        made[count] = f"x{count}"
    return made


def edit_before_each(path: Path) -> Callable[[int], None]:
    """Append a different comment before each run: one stale cache entry."""
    original = path.read_bytes()

    def edit(index: int) -> None:
        path.write_bytes(original + f"\n# benchmark edit {index}\n".encode())

    return edit


def main(argv: Optional[Sequence[str]] = None) -> int:
    arguments = parse_arguments(argv)
    python = sys.executable
    if arguments.install_tools:
        install_tools(python)

    executables = {
        "infralint": find_tool("infralint", arguments.infralint),
        "ruff": find_tool("ruff"),
        "fixit": find_tool("fixit"),
        "pylint": find_tool("pylint"),
        "flake8": find_tool("flake8"),
    }
    versions = {name: tool_version(path) for name, path in executables.items() if name not in arguments.skip}
    skip = set(arguments.skip)

    with tempfile.TemporaryDirectory(prefix="infralint-bench-") as scratch:
        if arguments.tree is None:
            cwd, target = django_workspace(python, Path(scratch))
            subdir = DJANGO_SUBDIR if arguments.fixit_subdir is None else arguments.fixit_subdir
        else:
            if not arguments.tree.is_dir():
                print(f"run.py: error: {arguments.tree} is not a directory", file=sys.stderr)
                return 2
            # Copied like Django: the copies, the edits and every cache stay out of the tree.
            cwd, target = Path(scratch) / "tree", arguments.tree.resolve().name
            shutil.copytree(arguments.tree, cwd / target)
            subdir = arguments.fixit_subdir or ""
        subdir = subdir.strip("/")
        sub_target = f"{target}/{subdir}" if subdir else target
        if not (cwd / sub_target).is_dir():
            print(f"run.py: error: {cwd / sub_target} is not a directory", file=sys.stderr)
            return 2
        edited = cwd / target / EDITED_FILE
        if not edited.is_file():
            edited = sorted((cwd / sub_target).rglob("*.py"))[0]
        one_file = edited.relative_to(cwd).as_posix()
        copies = {} if "copies" in skip else make_copies(cwd, target, COPIES)

        infralint = executables["infralint"]

        def commands(tool: str, on: str) -> List[Command]:
            """The rows of a tool on a path (none when it is not installed)."""
            if tool == "ast":
                return [Command(BASELINE, [python, "-c", AST_LOOP, on], cwd, on)]
            path = executables.get(tool)
            if path is None:
                return []
            if tool == "infralint":
                check = [path, "check", "--exit-zero"]
                return [Command(COLD, [*check, "--no-cache", on], cwd, on)]
            if tool == "ruff":
                # --isolated: no configuration file of the tree changes the rule set.
                return [Command("ruff", [path, "check", "--select", "ALL", "--exit-zero", "--no-cache", "--isolated", on], cwd, on)]
            if tool == "fixit":  # exit 1 = findings
                return [Command("fixit", [path, "lint", on], cwd, on, ok_codes=frozenset({0, 1}))]
            if tool == "flake8":
                return [Command("flake8", [path, "--exit-zero", on], cwd, on)]
            return [Command("pylint", [path, "--exit-zero", "--persistent=n", on], cwd, on)]

        plan: List[Command] = []
        for tool in ("ast", "infralint", "ruff"):
            plan += commands(tool, target) if tool not in skip else []
        if infralint is not None and "infralint" not in skip:
            check = [infralint, "check", "--exit-zero", "--verbose", target]
            plan += [
                Command(WARM, check, cwd, target, min_warmup=1, note="every file cached"),
                Command(CHANGED, check, cwd, target, min_warmup=1, before_each=edit_before_each(edited), note=f"`{edited.relative_to(cwd / target).as_posix()}` edited"),
            ]
        if sub_target != target:
            plan += [c for tool in ("ast", "infralint") if tool not in skip for c in commands(tool, sub_target)]
        plan += [c for tool in ("fixit", "pylint", "flake8") if tool not in skip for c in commands(tool, sub_target)]
        if "startup" not in skip:
            plan.append(Command("python, start-up only", [interpreter_of(infralint, python), "-c", "pass"], cwd, "—", baseline_row=False))
            if infralint is not None:
                plan += [
                    Command(VERSION, [infralint, "--version"], cwd, "—", baseline_row=False),
                    Command(ONE_FILE, [infralint, "check", "--exit-zero", "--no-cache", one_file], cwd, one_file, baseline_row=False),
                ]
        for on in copies.values():
            plan += [c for tool in ("ast", "infralint") if tool not in skip for c in commands(tool, on)]

        counts = {c.target: python_files(cwd / c.target) for c in plan if c.target != "—"}
        counts["—"] = 0
        header = machine_info() + [f"- tree: `{target}` ({counts.get(target, 0)} .py files) in `{cwd.name}`"]
        if sub_target != target:
            header.append(f"- subdirectory for Fixit, pylint and flake8: `{sub_target}` ({counts.get(sub_target, 0)} .py files)")

        # Warm the page cache so the first row does not pay for cold reads.
        run_once([python, "-c", AST_LOOP, target], cwd, arguments.timeout)
        for name, path in executables.items():
            if path is None and name not in skip:
                print(f"{name} is not installed: its rows are left out", file=sys.stderr)

        results: List[Result] = []
        for command in plan:
            print(f"timing {command.tool} on {command.target} ...", file=sys.stderr, flush=True)
            results.append(measure(command, counts[command.target], arguments.repeat, arguments.warmup, arguments.timeout))

    report = render(results, header, versions, arguments.repeat, (target, sub_target, copies))
    print(report)
    if arguments.output:
        arguments.output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
