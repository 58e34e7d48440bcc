#!/usr/bin/env python3
"""Time infralint side by side with its peers, in one run, on one tree.

Rows (median wall time of --repeat runs, peak RSS, ratios):

- a plain single-process loop that reads and ``ast.parse``s every .py file
  (the baseline: the least any ast-based linter has to do),
- ``infralint check --no-cache --exit-zero``,
- ``ruff check --select ALL --exit-zero --no-cache``,
- ``fixit lint`` (Fixit 2) on a subdirectory (default ``db/models`` of the
  Django tree: Fixit is slow), with the baseline and infralint timed on the
  same subdirectory so the ratios compare like with like,
- optionally ``pylint`` on that subdirectory (``--with-pylint``).

The default tree is the ``django/`` package of the Django 5.2.8 sdist,
downloaded once into ``benchmarks/_work``. This is a script, not a test:
budgets are ratios checked by a human, never timed assertions in CI.

    python benchmarks/run.py --install-tools      # once: ruff, fixit, pylint
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
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "_work"
TOOLS_VENV = WORK / "venv"
TOOLS_PACKAGES = ("ruff", "fixit", "pylint")
DJANGO_VERSION = "5.2.8"
DJANGO_SUBDIR = "db/models"
ALL_TOOLS = ("ast", "infralint", "ruff", "fixit", "pylint")

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


@dataclass
class Result:
    command: Optional[Command]
    tool: str
    target: str
    files: int
    times: List[float] = field(default_factory=list)
    peak_rss_kb: Optional[int] = None
    status: str = "ok"

    @property
    def median(self) -> Optional[float]:
        return statistics.median(self.times) if self.status == "ok" and self.times else None


@dataclass
class Run:
    seconds: float
    peak_rss_kb: Optional[int]
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
            list(argv), cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, start_new_session=True
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
            else:  # Windows: no rusage
                process.wait()
                seconds = time.perf_counter() - start
                rss = None
        finally:
            timer.cancel()
        stderr.seek(0)
        error_text = stderr.read().decode("utf-8", "replace")
    return Run(seconds, rss, process.returncode, error_text, timed_out.is_set())


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""


def measure(command: Command, files: int, repeat: int, warmup: int, timeout: float) -> Result:
    result = Result(command, command.tool, command.target, files)
    runs: List[Run] = []
    index = 0
    while index < warmup + repeat:
        run = run_once(command.argv, command.cwd, timeout)
        if run.timed_out:
            result.status = f"timeout after {timeout:.0f} s"
            return result
        if run.exit_code not in command.ok_codes:
            if command.tool == "infralint" and "--no-cache" in command.argv and "no-cache" in run.stderr:
                # An infralint without --no-cache: retry without it, from scratch.
                command.argv.remove("--no-cache")
                command.note = "--no-cache not supported: cache removed before each run"
                runs, index = [], 0
                continue
            reason = last_line(run.stderr)
            result.status = f"failed (exit {run.exit_code})" + (f": {reason}" if reason else "")
            return result
        if index >= warmup:
            runs.append(run)
        index += 1
        if command.note.startswith("--no-cache not supported"):
            shutil.rmtree(command.cwd / ".infralint_cache", ignore_errors=True)
    result.times = [run.seconds for run in runs]
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
    return (done.stdout.strip() or done.stderr.strip()).splitlines()[0] if (done.stdout or done.stderr) else "unknown"


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
    return sum(1 for _, _, names in os.walk(path) for name in names if name.endswith(".py"))


# --- the report --------------------------------------------------------------


def machine_info(python: str) -> List[str]:
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
        f"- Python (baseline loop): {platform.python_version()} ({python})",
    ]


def format_seconds(value: Optional[float]) -> str:
    return "—" if value is None else f"{value:.2f}"


def ratio(numerator: Optional[float], denominator: Optional[float]) -> str:
    if numerator is None or denominator is None or denominator <= 0:
        return "—"
    return f"{numerator / denominator:.2f}×"


def render(results: List[Result], header: List[str], versions: Dict[str, str], repeat: int) -> str:
    lines = ["# infralint benchmark", "", *header, ""]
    lines += [
        "| tool | tree | files | median s | peak RSS MB | ratio to ast.parse loop | ratio infralint/tool |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    baselines = {r.target: r.median for r in results if r.tool == "ast.parse loop"}
    infralint = {r.target: r.median for r in results if r.tool == "infralint"}
    for r in results:
        median = format_seconds(r.median) if r.status == "ok" else r.status
        rss = f"{r.peak_rss_kb / 1024:.0f}" if r.peak_rss_kb is not None else "—"
        to_baseline = "1.00×" if r.tool == "ast.parse loop" and r.median else ratio(r.median, baselines.get(r.target))
        to_infralint = "—" if r.tool == "infralint" else ratio(infralint.get(r.target), r.median)
        lines.append(f"| {r.tool} | `{r.target}` | {r.files} | {median} | {rss} | {to_baseline} | {to_infralint} |")
    lines += [
        "",
        f"Median wall time of {repeat} run(s) per row, each a fresh process. Peak RSS is the largest single",
        "process of the tool's process tree (worker processes are not summed). `ratio infralint/tool` below",
        "1 means infralint is faster on the same tree.",
        "",
        "Versions: " + "; ".join(f"{tool}: {version}" for tool, version in versions.items()),
        "",
        "Commands (run from the tree's project root):",
        "",
    ]
    seen = set()
    for r in results:
        if r.command is not None and tuple(r.command.argv) not in seen:
            seen.add(tuple(r.command.argv))
            argv = [Path(r.command.argv[0]).name, *r.command.argv[1:]]
            shown = " ".join("'<loop: read + ast.parse every .py file>'" if a == AST_LOOP else a for a in argv)
            note = f" ({r.command.note})" if r.command.note else ""
            lines.append(f"- `{shown}`{note}")
    return "\n".join(lines) + "\n"


# --- main --------------------------------------------------------------------


def parse_arguments(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, help="lint this directory instead of Django's django/ package")
    parser.add_argument(
        "--fixit-subdir",
        help=f"subdirectory of the tree for Fixit and pylint (default: {DJANGO_SUBDIR} for Django, the whole tree otherwise; '' for the whole tree)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per row (default: 3)")
    parser.add_argument("--warmup", type=int, default=0, help="untimed runs per row before timing (default: 0)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before one run is killed (default: 1800)")
    parser.add_argument("--with-pylint", action="store_true", help="also time pylint on the Fixit subdirectory (slow)")
    parser.add_argument("--skip", action="append", default=[], choices=ALL_TOOLS, help="leave a tool out (repeatable)")
    parser.add_argument("--infralint", help="the infralint executable (default: the repository's .venv, else PATH)")
    parser.add_argument("--install-tools", action="store_true", help=f"create {TOOLS_VENV} with {', '.join(TOOLS_PACKAGES)} first")
    parser.add_argument("--output", type=Path, help="also write the Markdown report to this file")
    arguments = parser.parse_args(argv)
    if arguments.repeat < 1 or arguments.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")
    return arguments


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
    }
    versions = {name: tool_version(path) for name, path in executables.items() if name != "pylint" or arguments.with_pylint}

    with tempfile.TemporaryDirectory(prefix="infralint-bench-") as scratch:
        if arguments.tree is None:
            cwd, target = django_workspace(python, Path(scratch))
            subdir = DJANGO_SUBDIR if arguments.fixit_subdir is None else arguments.fixit_subdir
        else:
            if not arguments.tree.is_dir():
                print(f"run.py: error: {arguments.tree} is not a directory", file=sys.stderr)
                return 2
            cwd, target = arguments.tree.resolve(), "."
            subdir = arguments.fixit_subdir or ""
        subdir = subdir.strip("/")
        sub_target = f"{target}/{subdir}" if subdir else target
        if not (cwd / sub_target).is_dir():
            print(f"run.py: error: {cwd / sub_target} is not a directory", file=sys.stderr)
            return 2

        def command(tool: str, on: str) -> Optional[Command]:
            """The command for a tool on a path, or None when it is not installed."""
            path = executables.get(tool)
            if tool == "ast":
                return Command("ast.parse loop", [python, "-c", AST_LOOP, on], cwd, on)
            if path is None:
                return None
            if tool == "infralint":
                return Command("infralint", [path, "check", "--no-cache", "--exit-zero", on], cwd, on)
            if tool == "ruff":
                # --isolated: no configuration file of the tree changes the rule set.
                return Command("ruff", [path, "check", "--select", "ALL", "--exit-zero", "--no-cache", "--isolated", on], cwd, on)
            if tool == "fixit":  # exit 1 = findings
                return Command("fixit", [path, "lint", on], cwd, on, ok_codes=frozenset({0, 1}))
            return Command("pylint", [path, "--exit-zero", "--persistent=n", on], cwd, on)

        # Rows grouped by tree: the whole tree, then the Fixit subdirectory.
        plan: List[Tuple[str, str]] = [(tool, target) for tool in ("ast", "infralint", "ruff")]
        slow = ["fixit"] + (["pylint"] if arguments.with_pylint else [])
        if sub_target != target:
            plan += [("ast", sub_target), ("infralint", sub_target)]
        plan += [(tool, sub_target) for tool in slow]
        plan = [(tool, on) for tool, on in plan if tool not in arguments.skip]

        counts = {on: python_files(cwd / on) for _, on in plan}
        header = machine_info(python) + [f"- tree: `{target}` ({counts.get(target, 0)} .py files) in `{cwd.name}`"]
        if sub_target != target:
            header.append(f"- Fixit subdirectory: `{sub_target}` ({counts.get(sub_target, 0)} .py files)")

        # Warm the page cache so the first row does not pay for cold reads.
        run_once([python, "-c", AST_LOOP, target], cwd, arguments.timeout)

        results: List[Result] = []
        for tool, on in plan:
            planned = command(tool, on)
            label = planned.tool if planned else tool
            print(f"timing {label} on {on} ...", file=sys.stderr, flush=True)
            if planned is None:
                results.append(Result(None, label, on, counts[on], status="not installed"))
                continue
            results.append(measure(planned, counts[on], arguments.repeat, arguments.warmup, arguments.timeout))

    report = render(results, header, versions, arguments.repeat)
    print(report)
    if arguments.output:
        arguments.output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
