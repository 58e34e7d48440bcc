"""The content cache: a hit parses nothing, anything a file's findings
depend on invalidates its entry, and a broken or unwritable cache never
changes the result, only costs time (and one warning)."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import List, Mapping, Optional, Sequence

import pytest
import infralint
from infralint.cache import CACHE_DIR_NAME, FORMAT, LintCache
from infralint.cli import main
from infralint.engine import PARALLEL_THRESHOLD, Engine, RunResult
from infralint.project import Project
from infralint.settings import Settings
from tests.helpers import separate_stderr_runner, write_files

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"

FILES = {
    "shop/__init__.py": "",
    "shop/domain/__init__.py": "",
    "shop/domain/order.py": "import shop.infrastructure.db\n\n\nclass Order:\n    pass\n",
    "shop/infrastructure/__init__.py": "",
    # IL403 with an unsafe fix: the cached finding must keep it.
    "shop/infrastructure/payments.py": "import requests\n\n\ndef pay():\n    return requests.post('https://psp')\n",
}


def _settings(root: Path, **changes: object) -> Settings:
    return Settings.default(root).with_changes(layers_configured=True, **changes)


def _run(root: Path, settings: Optional[Settings] = None, jobs: int = 1) -> "tuple[RunResult, LintCache]":
    files = sorted(root.rglob("*.py"))
    project = Project(settings or _settings(root), files)
    cache = LintCache.for_project(project)
    result = Engine(project, cwd=root).run(files, jobs=jobs, cache=cache)
    cache.save()
    return result, cache


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_files(tmp_path, FILES)
    return tmp_path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The files ``ast.parse`` is called for, in this process."""
    seen: List[str] = []
    real_parse = ast.parse

    def counting_parse(source, filename="<unknown>", *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(filename).endswith(".py"):  # not the snippets fixes are checked with
            seen.append(Path(filename).name)
        return real_parse(source, filename, *args, **kwargs)

    monkeypatch.setattr("infralint.engine.ast.parse", counting_parse)
    return seen


def test_second_run_parses_nothing_and_gives_the_same_findings(project: Path, parses: List[str]) -> None:
    first, _ = _run(project)
    assert first.files_cached == 0 and len(parses) == len(FILES)
    parses.clear()
    second, cache = _run(project)
    assert parses == []
    assert second.files_cached == second.files_checked == len(FILES)
    assert second.findings == first.findings
    assert {f.code for f in second.findings} >= {"IL101", "IL403"}
    assert cache.warnings == []


def test_cached_findings_keep_their_fixes(project: Path) -> None:
    first, _ = _run(project)
    second, _ = _run(project)
    fixed = [f for f in second.findings if f.fix is not None]
    assert fixed, "the example has no fixable finding"
    assert [f.fix for f in fixed] == [f.fix for f in first.findings if f.fix is not None]
    assert [f.statement_line for f in second.findings] == [f.statement_line for f in first.findings]


def test_changing_one_file_relints_only_that_file(project: Path, parses: List[str]) -> None:
    _run(project)
    parses.clear()
    (project / "shop/domain/order.py").write_text("class Order:\n    pass\n")
    result, _ = _run(project)
    assert parses == ["order.py"]
    assert result.files_cached == len(FILES) - 1
    assert "IL101" not in {f.code for f in result.findings}


def _age(root: Path, seconds: int = 3600) -> None:
    """Date every file back: old enough for its stat to be trusted."""
    for path in root.rglob("*.py"):
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 1_000_000_000))


def _reads(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The source files the engine reads, in this process."""
    import infralint.engine

    seen: List[str] = []
    real_read = infralint.engine.read_source

    def counting_read(path: Path, max_size: int) -> bytes:
        seen.append(Path(path).name)
        return real_read(path, max_size)

    monkeypatch.setattr(infralint.engine, "read_source", counting_read)
    return seen


def test_unchanged_size_and_mtime_skip_reading_the_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _age(project)
    first, _ = _run(project)
    reads = _reads(monkeypatch)
    second, _ = _run(project)
    assert reads == []
    assert second.files_cached == len(FILES) and second.findings == first.findings


def test_recently_modified_files_are_hashed_even_with_the_same_stat(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Written just now: the timestamp could be shared with a later write.
    _run(project)
    reads = _reads(monkeypatch)
    second, _ = _run(project)
    assert sorted(reads) == sorted(Path(name).name for name in FILES)
    assert second.files_cached == len(FILES)


def test_a_touched_file_is_hashed_once_then_trusted_again(project: Path, monkeypatch: pytest.MonkeyPatch, parses: List[str]) -> None:
    _age(project)
    _run(project)
    _age(project, seconds=60)  # a new mtime, the same content (a checkout)
    parses.clear()
    reads = _reads(monkeypatch)
    second, _ = _run(project)
    assert parses == [] and second.files_cached == len(FILES)
    assert len(reads) == len(FILES)
    reads.clear()
    _run(project)
    assert reads == []


def test_same_size_new_content_is_relinted(project: Path, parses: List[str]) -> None:
    _age(project)
    _run(project)
    order = project / "shop/domain/order.py"
    order.write_text(order.read_text().replace("Order", "Ordre"))
    parses.clear()
    result, _ = _run(project)
    assert parses == ["order.py"] and result.files_cached == len(FILES) - 1


def test_other_settings_do_not_use_the_entries(project: Path, parses: List[str]) -> None:
    _run(project)
    parses.clear()
    only_layers = _settings(project, enabled=frozenset({"IL101"}))
    result, _ = _run(project, only_layers)
    assert result.files_cached == 0 and len(parses) == len(FILES)
    assert {f.code for f in result.findings} == {"IL101"}


def test_changed_rule_options_do_not_use_the_entries(project: Path) -> None:
    _run(project)
    options = {code: dict(values) for code, values in Settings.default(project).rule_options.items()}
    options["IL403"] = {**options.get("IL403", {}), "default-timeout": 30.0}
    result, _ = _run(project, _settings(project, rule_options=options))
    assert result.files_cached == 0


def test_a_new_version_clears_the_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(project)
    old = [p.name for p in (project / CACHE_DIR_NAME).iterdir() if p.is_dir()]
    monkeypatch.setattr(infralint, "__version__", "99.0.0")
    result, _ = _run(project)
    assert result.files_cached == 0
    left = [p.name for p in (project / CACHE_DIR_NAME).iterdir() if p.is_dir()]
    assert len(old) == len(left) == 1 and left != old and left[0].startswith("99.0.0")


def test_a_new_module_elsewhere_invalidates_the_importer(project: Path) -> None:
    # `from shop import infrastructure` names the infrastructure layer only
    # once that module exists: the importer's entry depends on another file.
    (project / "shop/domain/order.py").write_text("from shop import infrastructure\n")
    (project / "shop/infrastructure/__init__.py").unlink()
    (project / "shop/infrastructure/payments.py").unlink()
    (project / "shop/infrastructure").rmdir()
    first, _ = _run(project)
    assert "IL101" not in {f.code for f in first.findings}
    (project / "shop/infrastructure.py").write_text("")
    second, _ = _run(project)
    assert "IL101" in {f.code for f in second.findings}


def test_the_directory_is_ignored_by_git_and_tagged(project: Path) -> None:
    _run(project)
    directory = project / CACHE_DIR_NAME
    assert (directory / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (directory / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


def _cache_files(root: Path) -> List[Path]:
    return sorted((root / CACHE_DIR_NAME).glob("*/*.json"))


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00",
        json.dumps({"format": FORMAT, "files": []}).encode(),
        json.dumps({"format": FORMAT, "files": {"shop/domain/order.py": 3}}).encode(),
    ],
)
def test_a_corrupt_cache_file_is_ignored_with_a_warning(project: Path, content: bytes) -> None:
    expected, _ = _run(project)
    (cache_file,) = _cache_files(project)
    cache_file.write_bytes(content)
    result, cache = _run(project)
    assert result.findings == expected.findings
    assert len(cache.warnings) == 1 and "corrupt cache file" in cache.warnings[0]
    again, cache = _run(project)  # rewritten by the run that ignored it
    assert again.files_cached == len(FILES) and cache.warnings == []


def test_an_unwritable_cache_directory_means_running_without_it(project: Path, parses: List[str]) -> None:
    # A file where the directory should be: unwritable even for root.
    (project / "blocked").write_text("")
    settings = _settings(project, cache_dir=project / "blocked" / "cache")
    expected, _ = _run(project, settings)
    parses.clear()
    result, cache = _run(project, settings)
    assert result.findings == expected.findings
    assert result.files_cached == 0 and len(parses) == len(FILES)
    assert len(cache.warnings) == 1 and "cannot write the cache" in cache.warnings[0]


def test_a_cache_in_the_pool_gives_the_same_findings(tmp_path: Path) -> None:
    files = {
        f"shop/{'domain' if index % 2 else 'infrastructure'}/m{index}.py": (
            "import shop.infrastructure.db\ntry:\n    f()\nexcept KeyError:\n    raise ValueError()\n"
        )
        for index in range(PARALLEL_THRESHOLD + 6)
    }
    write_files(tmp_path, files)
    paths = sorted(tmp_path.rglob("*.py"))
    plain = Engine(Project(_settings(tmp_path), paths), cwd=tmp_path).run(paths, jobs=1)
    cold, _ = _run(tmp_path, jobs=2)
    warm, _ = _run(tmp_path, jobs=2)
    assert (cold.files_cached, warm.files_cached) == (0, len(paths))
    assert plain.findings == cold.findings == warm.findings
    assert {f.code for f in plain.findings} >= {"IL101", "IL304"}
    assert any(f.fix is not None for f in warm.findings)


# The command line ------------------------------------------------------------


def _check(cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> "tuple[int, str, str]":
    monkeypatch.chdir(cwd)
    result = separate_stderr_runner().invoke(main, ["check", "--format", "json", *args])
    return result.exit_code, result.stdout, result.stderr


def _findings(output: str) -> List[Mapping[str, object]]:
    return json.loads(output)


def test_example_findings_are_the_same_with_and_without_cache_and_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.copytree(SHOP, tmp_path / "shop", ignore=shutil.ignore_patterns(CACHE_DIR_NAME, "__pycache__"))
    root = tmp_path / "shop"
    runs: Sequence[Sequence[str]] = (["--no-cache", "--jobs", "1"], ["--jobs", "1"], ["--jobs", "2"], [])
    outputs = [_check(root, monkeypatch, "--ignore", "IL501", *args) for args in runs]
    assert {(code, stderr) for code, _, stderr in outputs} == {(1, "")}
    assert all(_findings(out) == _findings(outputs[0][1]) for _, out, _ in outputs)
    assert len(_findings(outputs[0][1])) >= 8


def test_no_cache_writes_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, _ = _check(project, monkeypatch, "--no-cache")
    assert code == 1
    assert not (project / CACHE_DIR_NAME).exists()
    _check(project, monkeypatch)
    assert _cache_files(project)


def test_verbose_says_how_many_files_came_from_the_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _check(project, monkeypatch)
    (project / "shop/domain/order.py").write_text("class Order:\n    pass\n")
    _, _, stderr = _check(project, monkeypatch, "--verbose")
    assert f"{len(FILES) - 1} of {len(FILES)} files from the cache" in stderr


def test_cache_dir_setting(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "infralint.toml").write_text('cache-dir = "build/lint-cache"\n')
    _check(project, monkeypatch)
    assert not (project / CACHE_DIR_NAME).exists()
    assert (project / "build/lint-cache/CACHEDIR.TAG").is_file()


def test_unwritable_cache_warns_once_on_stderr(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "blocked").write_text("")
    (project / "infralint.toml").write_text('cache-dir = "blocked/cache"\n')
    code, stdout, stderr = _check(project, monkeypatch)
    assert code == 1 and _findings(stdout)
    assert stderr.count("infralint: warning:") == 1
    assert "blocked/cache: cannot write the cache" in stderr


@pytest.mark.parametrize("jobs", ["0", "-1", "many"])
def test_jobs_must_be_a_positive_number(project: Path, monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    code, _, stderr = _check(project, monkeypatch, "--jobs", jobs)
    assert code == 2
    assert "--jobs" in stderr
