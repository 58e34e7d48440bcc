"""What a hostile file, an unlucky option or a bug of infralint's own does to a
run, through the installed command in a real subprocess: a crash on one file
is that file's IL001 and exit code 2, the other files' findings still come;
exit codes are 0 clean, 1 findings, 2 any error; `--fix --stdin-filename`
gives back the input unchanged on any error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

from tests.helpers import write_files

DEEP_LIST = "x = " + "[" * 201 + "1" + "]" * 201 + "\n"
BARE_EXCEPT = "try:\n    connect()\nexcept:\n    raise\n"


def run_infralint(
    cwd: Path, *args: str, stdin: bytes = b"", prelude: Optional[str] = None
) -> "subprocess.CompletedProcess[bytes]":
    """`python -m infralint ARGS` in ``cwd``; ``prelude`` runs first in the
    same process (to plant a bug)."""
    command = [sys.executable, "-m", "infralint", *args]
    if prelude is not None:
        program = f"{prelude}\nimport sys\nsys.argv = ['infralint', *sys.argv[1:]]\nfrom infralint.entry import main\nmain()\n"
        command = [sys.executable, "-c", program, *args]
    return subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, timeout=300)


def _project(tmp_path: Path, files: dict) -> Path:
    write_files(tmp_path, {"pyproject.toml": "[tool.infralint]\n", **files})
    return tmp_path


# A bug planted in the engine: building the model of `crash.py` raises.
CRASH_ON_ONE_FILE = (
    "import infralint.engine as engine\n"
    "original = engine.build_model\n"
    "def build_model(tree, package):\n"
    "    if any(getattr(n, 'id', '') == 'CRASH_HERE' for n in __import__('ast').walk(tree)):\n"
    "        raise ValueError('planted')\n"
    "    return original(tree, package)\n"
    "engine.build_model = build_model\n"
)


def test_deeply_nested_brackets_are_that_files_il001_and_the_run_goes_on(tmp_path: Path) -> None:
    # libcst, asked which Python the file needs, overflowed the stack: the
    # run ended with exit 2 and no findings; 5,000 brackets killed it (SIGSEGV).
    root = _project(tmp_path, {"app/deep.py": DEEP_LIST, "app/huge.py": DEEP_LIST.replace("201", "5000"), "app/bare.py": BARE_EXCEPT})
    (root / "app/huge.py").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    result = run_infralint(root, "check", "--no-cache", "--select", "IL001,IL302")
    out = result.stdout.decode()
    assert result.returncode == 1, result.stderr
    assert "app/deep.py:1:205: IL001 syntax error: too many nested parentheses" in out
    assert "app/huge.py:1:205: IL001 syntax error: too many nested parentheses" in out
    assert "app/bare.py:3:1: IL302" in out
    assert "needs Python" not in out
    assert b"Traceback" not in result.stderr


def test_a_crash_on_one_file_is_its_il001_and_exit_2_with_the_others_findings(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app/crash.py": "CRASH_HERE = 1\n", "app/bare.py": BARE_EXCEPT})
    for jobs in ("1", "2"):
        result = run_infralint(root, "check", "--no-cache", "-j", jobs, "--select", "IL001,IL302", prelude=CRASH_ON_ONE_FILE)
        out, err = result.stdout.decode(), result.stderr.decode()
        assert result.returncode == 2, err
        assert "app/crash.py:1:1: IL001 infralint crashed on this file (ValueError); please report this bug" in out
        assert "app/bare.py:3:1: IL302" in out
        assert "app/crash.py: internal error while linting the file: ValueError('planted')" in err
        assert "Traceback" not in err


def test_verbose_shows_the_crash_traceback(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app/crash.py": "CRASH_HERE = 1\n"})
    result = run_infralint(root, "check", "--no-cache", "-j", "1", "--verbose", prelude=CRASH_ON_ONE_FILE)
    assert result.returncode == 2
    assert "Traceback" in result.stderr.decode()
    assert "planted" in result.stderr.decode()


def test_an_unhandled_exception_exits_2_with_one_line(tmp_path: Path) -> None:
    # Python's own exit code for an uncaught exception is 1: the findings code.
    root = _project(tmp_path, {"app/a.py": "x = 1\n"})
    prelude = "import infralint.reporters as r\ndef broken(*a):\n    raise KeyError('planted')\nr.get_reporter = broken\n"
    result = run_infralint(root, "check", "--no-cache", prelude=prelude)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert err.strip().splitlines() == [
        "infralint: error: internal error: KeyError('planted') (please report this bug; rerun with --verbose for the traceback)"
    ]
    verbose = run_infralint(root, "check", "--no-cache", "--verbose", prelude=prelude)
    assert verbose.returncode == 2
    assert "Traceback" in verbose.stderr.decode()


def test_fix_stdin_gives_the_input_back_on_a_crash(tmp_path: Path) -> None:
    root = _project(tmp_path, {})
    source = b"CRASH_HERE = 1\n" + BARE_EXCEPT.encode()
    result = run_infralint(root, "check", "--fix", "--stdin-filename", "app/crash.py", stdin=source, prelude=CRASH_ON_ONE_FILE)
    assert result.returncode == 2
    assert result.stdout == source


def test_fix_stdin_gives_the_input_back_on_any_error(tmp_path: Path) -> None:
    root = _project(tmp_path, {"pyproject.toml": "[tool.infralint]\nselect = 3\n"})
    result = run_infralint(root, "check", "--fix", "--stdin-filename", "app/a.py", stdin=BARE_EXCEPT.encode())
    assert result.returncode == 2
    assert result.stdout == BARE_EXCEPT.encode()
    assert "'tool.infralint.select' must be a list of strings" in result.stderr.decode()
    usage = run_infralint(root, "check", "--fix", "--diff", "--stdin-filename", "app/a.py", stdin=b"x = 1\n")
    assert (usage.returncode, usage.stdout) == (2, b"x = 1\n")


def test_fix_stdin_of_a_file_too_deep_to_parse_gives_it_back(tmp_path: Path) -> None:
    root = _project(tmp_path, {})
    result = run_infralint(root, "check", "--fix", "--stdin-filename", "app/deep.py", stdin=DEEP_LIST.encode())
    assert result.returncode == 1  # the IL001 finding remains
    assert result.stdout == DEEP_LIST.encode()
    assert b"too many nested parentheses" in result.stderr


def test_conflicting_options_are_usage_errors(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app/bare.py": BARE_EXCEPT, "baseline.json": ""})
    for options in (
        ["--diff", "--fix"],
        ["--diff", "--update-baseline", "--baseline", "baseline.json"],
        ["--stdin-filename", "app/bare.py", "--diff"],
        ["--stdin-filename", "app/bare.py", "--update-baseline", "--baseline", "baseline.json"],
    ):
        result = run_infralint(root, "check", *options, stdin=BARE_EXCEPT.encode())
        assert result.returncode == 2, options
        assert b"cannot be used together" in result.stderr
    assert (root / "app/bare.py").read_text() == BARE_EXCEPT
    assert (root / "baseline.json").read_text() == ""


def test_an_empty_selection_is_an_error_not_every_rule(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app/bare.py": BARE_EXCEPT})
    for option in ("--select", "--extend-select", "--ignore"):
        result = run_infralint(root, "check", option, "", "--no-cache")
        assert result.returncode == 2
        assert result.stderr.decode().strip() == f"infralint: error: {option}: no rule code given"


def test_messages_for_bytes_that_are_not_utf_8_say_what_is_wrong(tmp_path: Path) -> None:
    root = _project(tmp_path, {})
    (root / "app").mkdir()
    (root / "app/latin.py").write_bytes(b"name = '\xe9t\xe9'\n")  # it said "invalid or missing encoding declaration"
    (root / "app/wide.py").write_bytes("x = 1\n".encode("utf-16"))  # it said "binary file"
    (root / "app/wide_no_bom.py").write_bytes("x = 1\n".encode("utf-16-le"))
    (root / "app/blob.py").write_bytes(b"\x00\x01\x02\x03\xff")
    out = run_infralint(root, "check", "--no-cache", "--select", "IL001").stdout.decode()
    assert "app/latin.py:1:1: IL001 not valid utf-8 at line 1 (invalid continuation byte)" in out
    assert "app/wide.py:1:1: IL001 the file is UTF-16-encoded; Python reads source as UTF-8: re-encode it as UTF-8" in out
    assert "app/wide_no_bom.py:1:1: IL001 the file is UTF-16-encoded" in out
    assert "app/blob.py:1:1: IL001 binary file (contains NUL bytes)" in out


def test_init_on_a_missing_or_unwritable_directory_is_a_one_line_error(tmp_path: Path) -> None:
    missing = run_infralint(tmp_path, "init", str(tmp_path / "nowhere" / "project"))
    assert missing.returncode == 2
    assert missing.stderr.decode().strip() == f"infralint: error: {tmp_path / 'nowhere' / 'project'}: no such directory"
    # Unwritable whoever runs the tests (root ignores modes): the file to
    # write is a link into a directory that does not exist.
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "infralint.toml").symlink_to(tmp_path / "gone" / "infralint.toml")
    result = run_infralint(tmp_path, "init", str(blocked))
    assert result.returncode == 2
    assert result.stderr.decode().strip().endswith("cannot write the configuration: No such file or directory")
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_reports_name_files_whose_names_are_not_utf_8(tmp_path: Path) -> None:
    import json

    root = _project(tmp_path, {})
    (root / "app").mkdir()
    (root / "app").joinpath(os.fsdecode(b"caf\xe9.py")).write_text(BARE_EXCEPT)
    for output_format in ("sarif", "gitlab", "json", "junit", "github", "text"):
        to_stdout = run_infralint(root, "check", "--no-cache", "--format", output_format)
        assert to_stdout.returncode == 1, to_stdout.stderr
        report = root / f"report.{output_format}"
        to_file = run_infralint(root, "check", "--no-cache", "--format", output_format, "-o", str(report))
        assert to_file.returncode == 1, to_file.stderr
        assert report.read_bytes() == to_stdout.stdout
        if output_format in ("text", "github"):
            assert b"app/caf\xe9.py" in to_stdout.stdout  # the name's own bytes, as ls shows it
        else:
            to_stdout.stdout.decode("utf-8")  # strict: a document readers accept
    assert "app/caf%E9.py" in json.loads((root / "report.sarif").read_text())["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def test_a_cache_nested_too_deeply_heals(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app/bare.py": BARE_EXCEPT})
    assert run_infralint(root, "check").returncode == 1
    (cache_file,) = [p for p in (root / ".infralint_cache").rglob("*.json") if not p.name.endswith(".meta.json")]
    cache_file.write_text("[" * 100_000 + "]" * 100_000)
    broken = run_infralint(root, "check")
    assert broken.returncode == 1
    assert "app/bare.py:3:1: IL302" in broken.stdout.decode()
    assert "ignoring the corrupt cache file (not JSON: nested too deeply)" in broken.stderr.decode()
    healed = run_infralint(root, "check")
    assert (healed.returncode, healed.stderr) == (1, b"")


def test_il403_fix_parenthesises_a_bare_generator_argument(tmp_path: Path) -> None:
    # The fix wrote `requests.get(u for u in urls, timeout=10)`, which does
    # not parse, and was dropped with "please report this bug".
    source = "import requests\n\n\ndef fetch(urls):\n    return requests.get(u for u in urls)\n"
    root = _project(tmp_path, {"app/client.py": source, "app/other.py": source.replace("in urls)\n", "in urls)  # x\n")})
    result = run_infralint(root, "check", "--no-cache", "--select", "IL403", "--fix", "--unsafe-fixes")
    assert result.returncode == 0, result.stderr
    assert b"please report" not in result.stderr
    assert (root / "app/client.py").read_text() == source.replace("get(u for u in urls)", "get((u for u in urls), timeout=10)")
    assert "get((u for u in urls), timeout=10)  # x" in (root / "app/other.py").read_text()
    already = source.replace("get(u for u in urls)", "get((u for u in urls))")
    (root / "app/client.py").write_text(already)
    run_infralint(root, "check", "--no-cache", "--select", "IL403", "--fix", "--unsafe-fixes")
    assert (root / "app/client.py").read_text() == already.replace("urls))", "urls), timeout=10)")


def test_il702_on_a_long_valid_concatenation_is_no_internal_error(tmp_path: Path) -> None:
    terms = " + ".join(["'a'"] * 1500)
    root = _project(
        tmp_path,
        {
            "app/query.py": f"def f(cursor, t):\n    cursor.execute({terms} + t)\n",
            "app/literal.py": f"Q = {terms}\n\n\ndef f(cursor):\n    cursor.execute(Q)\n",
        },
    )
    result = run_infralint(root, "check", "--no-cache", "--select", "IL702")
    assert result.returncode == 1, result.stderr
    assert result.stdout.decode().splitlines()[0].startswith("app/query.py:2:20: IL702 SQL built with string concatenation")
    assert b"internal error" not in result.stderr
    assert "app/literal.py" not in result.stdout.decode()


def test_a_module_name_that_is_not_utf_8_does_not_crash_the_import_graph(tmp_path: Path) -> None:
    # grimp's Rust core panicked (a BaseException, past every handler).
    root = _project(tmp_path, {})
    (root / "pyproject.toml").write_text('[tool.infralint.layers]\norder = ["infrastructure", "domain"]\n')
    write_files(
        root,
        {
            "shop/__init__.py": "",
            "shop/domain/__init__.py": "",
            "shop/domain/order.py": "from shop.infrastructure import x\n",
            "shop/infrastructure/__init__.py": "",
        },
    )
    (root / "shop/domain").joinpath(os.fsdecode(b"caf\xe9.py")).write_text("from shop.infrastructure import x\n")
    result = run_infralint(root, "check", "--no-cache")
    assert b"Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert b"shop/domain/order.py:1:1: IL101" in result.stdout


def test_rule_given_a_prefix_says_it_is_a_group(tmp_path: Path) -> None:
    # It said "did you mean IL701?" for IL1.
    result = run_infralint(tmp_path, "rule", "IL1")
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "infralint: error: unknown rule 'IL1' (IL1 is a group of rules: IL101, IL102, IL103, ...); `infralint rules` lists them"
    )


def test_ctrl_c_is_not_the_findings_exit_code(tmp_path: Path) -> None:
    # click turned Ctrl-C into exit code 1, which means "findings".
    import signal
    import time

    root = _project(tmp_path, {})
    waiting = subprocess.Popen(
        [sys.executable, "-m", "infralint", "check", "--stdin-filename", "app/a.py"],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(2)  # reading stdin by then (not a timing assertion: any moment works)
        waiting.send_signal(signal.SIGINT)
        _, err = waiting.communicate(timeout=120)
    finally:
        if waiting.poll() is None:
            waiting.kill()
    assert waiting.returncode == 130
    assert err.decode().strip() == "Aborted!"


def test_a_rename_whose_importer_libcst_cannot_rewrite_is_skipped_not_a_crash(tmp_path: Path) -> None:
    # 190 nested brackets parse with ast; libcst's visit of them overflowed
    # the recursion limit and the whole --fix run ended with an internal error.
    importer = "from shop.infrastructure.db import OrderRepository\nx = " + "[" * 190 + "]" * 190 + "\n"
    root = _project(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/infrastructure/__init__.py": "",
            "shop/application/__init__.py": "",
            "shop/infrastructure/db.py": "class OrderRepository:\n    pass\n",
            "shop/application/svc.py": importer,
        },
    )
    result = run_infralint(root, "check", "--select", "IL201", "--fix", "--unsafe-fixes", "--no-cache")
    assert result.returncode == 1, result.stderr
    assert b"internal error" not in result.stderr
    assert (
        "IL201 fix skipped: shop/application/svc.py imports the module and its imports cannot be rewritten (RecursionError)"
        in result.stderr.decode()
    )
    assert (root / "shop/infrastructure/db.py").is_file()
    assert (root / "shop/application/svc.py").read_text() == importer


def test_a_utf_16_typescript_file_is_named_so_not_binary(tmp_path: Path) -> None:
    root = _project(tmp_path, {"package.json": "{}\n"})
    (root / "src").mkdir()
    (root / "src/wide.ts").write_bytes("const a = 1;\n".encode("utf-16"))
    (root / "src/blob.ts").write_bytes(b"\x00\x01\xff")
    out = run_infralint(root, "check", "--no-cache", "--select", "IL001").stdout.decode()
    assert "src/wide.ts:1:1: IL001 the file is UTF-16-encoded: re-encode it as UTF-8" in out
    assert "src/blob.ts:1:1: IL001 binary file (contains NUL bytes), not source" in out
