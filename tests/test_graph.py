"""IL103 layer-violation-chain on real multi-package projects, end to end
through `infralint check` (whole-project runs only), and `infralint layers`
with its text, Mermaid and DOT output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Mapping, Tuple

import pytest

from infralint.cli import main
from infralint.rules.layers import LayerViolationChain
from tests.helpers import cli_runner, write_files

PACKAGES = ("shop", "shop/domain", "shop/application", "shop/infrastructure", "shop/entrypoints", "shop/utils")
DB = {"shop/infrastructure/db.py": "class Database: ...\n"}


def _project(root: Path, files: Mapping[str, str], packages: Tuple[str, ...] = PACKAGES, config: str = "") -> Path:
    inits = {f"{package}/__init__.py": "" for package in packages}
    write_files(root, {"pyproject.toml": "[tool.infralint]\n" + config, **inits, **files})
    return root


def _invoke(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(root)
    return cli_runner().invoke(main, list(args))


def _check(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> List[Dict]:
    """The IL101 / IL103 findings of `infralint check` run in ``root``."""
    result = _invoke(root, monkeypatch, "check", "--format", "json", "--select", "IL101,IL103,IL002", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _chains(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> List[Tuple[str, int, str]]:
    """(path, line, chain) of each IL103 finding."""
    return [
        (f["path"], f["line"], f["message"].split(": ", 1)[1])
        for f in _check(root, monkeypatch, *args)
        if f["code"] == "IL103"
    ]


def test_chain_of_two_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(
        tmp_path,
        {
            **DB,
            "shop/domain/order.py": "from decimal import Decimal\n\nfrom shop.utils import money\n",
            "shop/utils/money.py": "from shop.infrastructure.db import Database\n",
        },
    )
    findings = _check(root, monkeypatch)
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in findings] == [
        ("IL103", "shop/domain/order.py", 3, 1)
    ]
    assert findings[0]["message"] == (
        "domain module reaches infrastructure module shop.infrastructure.db through an import chain: "
        "shop.domain.order -> shop.utils.money -> shop.infrastructure.db"
    )
    assert findings[0]["end_column"] == len("from shop.utils import money") + 1
    assert findings[0]["chain"] == [
        {"importer": "shop.domain.order", "imported": "shop.utils.money", "line": 3},
        {"importer": "shop.utils.money", "imported": "shop.infrastructure.db", "line": 1},
    ]


def test_chain_of_three_imports_through_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(
        tmp_path,
        {
            **DB,
            "shop/domain/order.py": "import shop.utils.a\n",
            "shop/utils/a.py": "import shop.utils.b\n",
            "shop/utils/b.py": "import shop.utils.a\nimport shop.infrastructure.db\n",
        },
    )
    assert _chains(root, monkeypatch) == [
        ("shop/domain/order.py", 1, "shop.domain.order -> shop.utils.a -> shop.utils.b -> shop.infrastructure.db")
    ]


def test_chain_through_an_init_reexport_and_relative_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(
        tmp_path,
        {
            **DB,
            "shop/utils/__init__.py": "from .persistence import Database\n",
            "shop/utils/persistence.py": "from ..infrastructure.db import Database\n",
            "shop/domain/order.py": "from ..utils import Database\n",
        },
    )
    assert _chains(root, monkeypatch) == [
        (
            "shop/domain/order.py",
            1,
            "shop.domain.order -> shop.utils -> shop.utils.persistence -> shop.infrastructure.db",
        )
    ]


def test_type_checking_imports_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(
        tmp_path,
        {
            **DB,
            "shop/domain/order.py": "from shop.utils import typing_helpers\n",
            "shop/utils/typing_helpers.py": (
                "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from shop.infrastructure.db import Database\n"
            ),
        },
    )
    assert [chain for _, _, chain in _chains(root, monkeypatch)] == [
        "shop.domain.order -> shop.utils.typing_helpers -> shop.infrastructure.db"
    ]


def test_chains_in_allowed_directions_are_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(
        tmp_path,
        {
            **DB,
            "shop/domain/order.py": "from shop.utils import rounding\n",
            "shop/utils/rounding.py": "import decimal\n",
            "shop/utils/wiring.py": "from shop.application import place_order\nfrom shop.domain import order\n",
            "shop/application/place_order.py": "from shop.utils import rounding\n",
            "shop/entrypoints/api.py": "from shop.utils import wiring\n",
            "shop/infrastructure/orders.py": "from shop.utils import wiring\n",
        },
    )
    assert _check(root, monkeypatch) == []


def test_direct_import_is_il101_only_and_a_chain_through_a_layer_is_not_il103(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(
        tmp_path,
        {
            **DB,
            "shop/domain/order.py": "from shop.infrastructure.db import Database\nfrom shop.application import service\n",
            "shop/application/service.py": "from shop.infrastructure import db\n",
        },
    )
    assert sorted((f["code"], f["path"], f["line"]) for f in _check(root, monkeypatch)) == [
        ("IL101", "shop/application/service.py", 1),
        ("IL101", "shop/domain/order.py", 1),
        ("IL101", "shop/domain/order.py", 2),
    ]


def test_one_finding_per_import_statement_with_the_first_shortest_chain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(
        tmp_path,
        {
            **DB,
            "shop/domain/order.py": "from shop.utils import b_helper, a_helper\n\n\ndef later():\n    import shop.utils.c_helper\n",
            "shop/utils/a_helper.py": "import shop.infrastructure.db\n",
            "shop/utils/b_helper.py": "import shop.infrastructure.db\n",
            "shop/utils/c_helper.py": "import shop.utils.b_helper\n",
        },
    )
    assert _chains(root, monkeypatch) == [
        ("shop/domain/order.py", 1, "shop.domain.order -> shop.utils.a_helper -> shop.infrastructure.db"),
        (
            "shop/domain/order.py",
            5,
            "shop.domain.order -> shop.utils.c_helper -> shop.utils.b_helper -> shop.infrastructure.db",
        ),
    ]


def test_bounded_contexts_in_a_src_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packages = tuple(
        f"src/{context}/{layer}" for context in ("orders", "billing") for layer in ("domain", "infrastructure")
    ) + ("src/orders", "src/billing", "src/shared")
    root = _project(
        tmp_path,
        {
            "src/orders/domain/order.py": "from shared import invoicing\n",
            "src/shared/invoicing.py": "from billing.infrastructure.stripe import charge\n",
            "src/billing/infrastructure/stripe.py": "def charge(): ...\n",
            "src/billing/domain/invoice.py": "from orders.domain import order\n",
        },
        packages=packages,
    )
    assert _chains(root, monkeypatch) == [
        (
            "src/orders/domain/order.py",
            1,
            "orders.domain.order -> shared.invoicing -> billing.infrastructure.stripe",
        )
    ]


def test_namespace_package_and_configured_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = '[tool.infralint.layers]\norder = ["api", "core"]\nkinds = { core = "domain" }\n'
    root = _project(
        tmp_path,
        {
            "src/acme/shop/core/rules.py": "from acme.shop.helpers import formatting\n",
            "src/acme/shop/helpers/formatting.py": "from acme.shop.api import views\n",
            "src/acme/shop/api/views.py": "VIEWS = []\n",
        },
        packages=("src/acme/shop", "src/acme/shop/core", "src/acme/shop/helpers", "src/acme/shop/api"),
        config=config,
    )
    findings = _check(root, monkeypatch)
    assert [(f["code"], f["path"]) for f in findings] == [("IL103", "src/acme/shop/core/rules.py")]
    assert findings[0]["message"].startswith("core module reaches api module acme.shop.api.views")


CHAIN = {
    **DB,
    "shop/domain/order.py": "from shop.utils import money\n",
    "shop/utils/money.py": "from shop.infrastructure.db import Database\n",
}


def test_only_whole_project_runs_report_chains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, CHAIN)
    assert len(_chains(root, monkeypatch)) == 1
    assert len(_chains(root, monkeypatch, ".")) == 1
    assert _chains(root, monkeypatch, "shop/domain/order.py") == []
    assert _chains(root, monkeypatch, "shop") == []


def test_suppressions_selection_and_per_file_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    suppressed = {**CHAIN, "shop/domain/order.py": "from shop.utils import money  # infralint: ignore[IL103]\n"}
    root = _project(tmp_path / "suppressed", suppressed)
    assert _check(root, monkeypatch) == []  # and no IL002 for the comment
    root = _project(tmp_path / "chain", CHAIN)
    assert _check(root, monkeypatch, "--ignore", "IL103") == []
    ignored = _project(tmp_path / "per-file", CHAIN, config='per-file-ignores = { "shop/domain/*" = ["IL1"] }\n')
    assert _check(ignored, monkeypatch) == []


def test_a_stale_il103_suppression_is_reported_in_whole_project_runs_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = {
        **CHAIN,
        "shop/utils/money.py": "from decimal import Decimal\n",
        "shop/domain/order.py": "from shop.utils import money  # infralint: ignore[IL302, IL103]\n",
        "shop/domain/rules.py": "# infralint: ignore-file[IL103]\nimport shop.utils.money\n",
    }
    root = _project(tmp_path, stale)
    findings = _check(root, monkeypatch)
    assert [(f["code"], f["path"], f["line"], f["column"], f["message"], f["fix"]) for f in findings] == [
        ("IL002", "shop/domain/order.py", 1, 58, "unused suppression for IL103", None),
        ("IL002", "shop/domain/rules.py", 1, 26, "unused suppression for IL103", None),
    ]
    assert _check(root, monkeypatch, "shop/domain/order.py") == []
    assert _check(root, monkeypatch, "--ignore", "IL103") == []


def test_baseline_covers_chains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, CHAIN)
    recorded = _invoke(root, monkeypatch, "check", "--baseline", "baseline.json", "--update-baseline")
    assert recorded.exit_code == 0 and "Recorded 1 finding" in recorded.output
    assert _check(root, monkeypatch, "--baseline", "baseline.json") == []


def test_a_file_grimp_cannot_parse_skips_il103_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, {**CHAIN, "shop/utils/broken.py": "def broken(:\n"})
    result = _invoke(root, monkeypatch, "check", "--select", "IL001,IL103")
    assert result.exit_code == 1
    assert "IL001" in result.stdout and "IL103" not in result.stdout
    assert result.stderr == (
        "infralint: warning: IL103 skipped: shop/utils/broken.py:1: syntax error, the import graph cannot be built\n"
    )
    layers = _invoke(root, monkeypatch, "layers")
    assert layers.exit_code == 2 and layers.stderr.startswith("infralint: error: shop/utils/broken.py:1: syntax")


def test_the_graph_is_cached_with_the_content_cache_and_not_with_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uncached = _project(tmp_path / "uncached", CHAIN)
    assert len(_chains(uncached, monkeypatch, "--no-cache")) == 1
    assert not (uncached / ".infralint_cache").exists()
    cached = _project(tmp_path / "cached", CHAIN)
    assert len(_chains(cached, monkeypatch)) == len(_chains(cached, monkeypatch)) == 1
    assert [path.parent.parent.name for path in cached.rglob("grimp")] == [".infralint_cache"]


def test_a_module_rewritten_within_one_clock_tick_is_not_taken_from_the_graph_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # grimp's cache compares mtimes only: a second write in the same tick of
    # the file system's clock (simulated by putting the mtime back) must
    # still be seen, as the content cache sees it.
    root = _project(tmp_path, CHAIN)
    money = root / "shop/utils/money.py"
    assert len(_chains(root, monkeypatch)) == 1
    written = money.stat()
    money.write_text("from decimal import Decimal\n")
    os.utime(money, ns=(written.st_atime_ns, written.st_mtime_ns))
    assert _chains(root, monkeypatch) == []
    # Once a module's mtime is settled, grimp's cache serves it again.
    (meta,) = (root / ".infralint_cache").rglob("*.meta.json")
    assert "shop.utils.money" not in json.loads(meta.read_text())
    settled = written.st_mtime_ns - 10 * 1_000_000_000
    for path in root.rglob("*.py"):
        os.utime(path, ns=(settled, settled))
    assert _chains(root, monkeypatch) == []
    assert "shop.utils.money" in json.loads(meta.read_text())


def test_a_layer_name_inside_another_layer_belongs_to_the_outer_layer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(
        tmp_path,
        {
            "shop/domain/adapters/__init__.py": "",
            "shop/domain/adapters/sql.py": "from shop.utils import helpers\n",
            "shop/utils/helpers.py": "import shop.infrastructure.db\n",
            "shop/utils/loading.py": "from shop.domain.adapters import sql\n",
            "shop/domain/model.py": "from shop.utils import loading\n",
            "shop/domain/tests/test_model.py": "from shop.utils import helpers\n",
            **DB,
        },
    )
    # shop.domain.adapters is domain (the outermost layer name wins): its
    # chain to shop.infrastructure is the violation; a domain module's chain
    # to it stays inside the domain, and tests belong to no layer.
    assert _chains(root, monkeypatch) == [
        ("shop/domain/adapters/sql.py", 1, "shop.domain.adapters.sql -> shop.utils.helpers -> shop.infrastructure.db")
    ]


def test_a_composition_root_inside_a_layer_package_is_in_no_layer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(
        tmp_path,
        {
            "shop/infrastructure/container.py": "import shop.entrypoints.api\nimport shop.infrastructure.db\n",
            "shop/entrypoints/__init__.py": "",
            "shop/entrypoints/api.py": "",
            "shop/utils/wiring_helpers.py": "from shop.infrastructure import container\n",
            "shop/domain/model.py": "from shop.utils import wiring_helpers\n",
            "shop/application/services.py": "from shop.infrastructure import container\n",
            **DB,
        },
    )
    # The container wires every layer: importing it is no IL101 (it has no
    # layer), and the chains through it reach the layers it imports.
    assert _chains(root, monkeypatch) == [
        (
            "shop/application/services.py",
            1,
            "shop.application.services -> shop.infrastructure.container -> shop.infrastructure.db",
        ),
        (
            "shop/application/services.py",
            1,
            "shop.application.services -> shop.infrastructure.container -> shop.entrypoints.api",
        ),
        (
            "shop/domain/model.py",
            1,
            "shop.domain.model -> shop.utils.wiring_helpers -> shop.infrastructure.container -> shop.infrastructure.db",
        ),
        (
            "shop/domain/model.py",
            1,
            "shop.domain.model -> shop.utils.wiring_helpers -> shop.infrastructure.container -> shop.entrypoints.api",
        ),
    ]


def test_without_grimp_il103_is_skipped_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "grimp", None)  # import grimp raises ImportError
    result = _invoke(_project(tmp_path, CHAIN), monkeypatch, "check", "--select", "IL1")
    assert result.exit_code == 0 and "All checks passed." in result.stdout
    assert result.stderr == "infralint: warning: IL103 skipped: grimp is not installed; reinstall infralint (or pip install 'grimp>=3.2')\n"
    layers = _invoke(tmp_path, monkeypatch, "layers")
    assert layers.exit_code == 2 and layers.stderr.startswith("infralint: error: grimp is not installed")


def test_projects_without_layers_build_no_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, {"app/utils.py": "import app.models\n", "app/models.py": ""}, packages=("app",))
    assert _check(root, monkeypatch) == []
    assert not list(root.rglob("grimp"))


@pytest.mark.parametrize("case", LayerViolationChain.VALID + LayerViolationChain.INVALID, ids=lambda case: case.path)
def test_documented_examples(case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, {**case.files, case.path: case.source}, packages=())
    findings = [f for f in _check(root, monkeypatch) if f["code"] == "IL103"]
    expected = getattr(case, "at", [])
    assert [(f["path"], f["line"], f["column"]) for f in findings] == [(case.path, *at) for at in expected]
    if getattr(case, "message", None):
        assert all(case.message in f["message"] for f in findings)


# infralint layers ---------------------------------------------------------------
VIOLATIONS = {
    **DB,
    "shop/domain/order.py": "from shop.utils import money\n",
    "shop/utils/money.py": "from shop.infrastructure.db import Database\n",
    "shop/application/place_order.py": "from shop.domain import order\nfrom shop.infrastructure import db\n",
    "shop/entrypoints/api.py": "from shop.application import place_order\n",
    "shop/main.py": "from shop.entrypoints import api\n",
}


def test_layers_text_lists_modules_and_marks_violations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _invoke(_project(tmp_path, VIOLATIONS), monkeypatch, "layers")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Layers, outer to inner:",
        "  interface: 2 modules",
        "    shop.entrypoints",
        "    shop.entrypoints.api",
        "  infrastructure: 2 modules",
        "    shop.infrastructure",
        "    shop.infrastructure.db",
        "  application: 2 modules",
        "    shop.application",
        "    shop.application.place_order",
        "  domain: 2 modules",
        "    shop.domain",
        "    shop.domain.order",
        "  no layer: 4 modules",
        "    shop",
        "    shop.main",
        "    shop.utils",
        "    shop.utils.money",
        "",
        "Dependencies between layers:",
        "  interface -> application: 1 import",
        "  application -> infrastructure: 1 import  violation (IL101)",
        "  application -> domain: 1 import",
        "  domain -> infrastructure: 1 chain  violation (IL103)",
    ]


_MERMAID_NODE = re.compile(r'^    (?P<id>layer\d+)\["[^"]*"\]$')
_MERMAID_EDGE = re.compile(r'^    (?P<source>\w+) (?P<arrow>-->|-\.->)\|"[^"|]*"\| (?P<target>\w+)$')
_MERMAID_INVISIBLE = re.compile(r"^    (?P<source>\w+) ~~~ (?P<target>\w+)$")
_MERMAID_STYLE = re.compile(r"^    linkStyle (?P<indices>\d+(?:,\d+)*) stroke:red,color:red$")


def _parse_mermaid(text: str) -> Tuple[List[str], List[Tuple[str, str, str]], List[int]]:
    """Nodes, links (source, arrow, target) and red link indices of a
    Mermaid flowchart; fails on any line that is not one of them."""
    lines = text.splitlines()
    assert lines[0] == "flowchart TB"
    nodes: List[str] = []
    edges: List[Tuple[str, str, str]] = []
    red: List[int] = []
    for line in lines[1:]:
        node, style = _MERMAID_NODE.match(line), _MERMAID_STYLE.match(line)
        edge = _MERMAID_EDGE.match(line) or _MERMAID_INVISIBLE.match(line)
        if node:
            assert not edges, "nodes come before links"
            nodes.append(node["id"])
        elif edge:
            assert edge["source"] in nodes and edge["target"] in nodes, line
            arrow = edge.groupdict().get("arrow", "~~~")
            edges.append((edge["source"], arrow, edge["target"]))
        else:
            assert style, f"not a Mermaid flowchart statement: {line!r}"
            red = [int(index) for index in style["indices"].split(",")]
    assert len(set(nodes)) == len(nodes) and all(index < len(edges) for index in red)
    return nodes, edges, red


def test_layers_mermaid_is_a_valid_flowchart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _invoke(_project(tmp_path, VIOLATIONS), monkeypatch, "layers", "--format", "mermaid")
    assert result.exit_code == 0, result.output
    nodes, edges, red = _parse_mermaid(result.stdout)
    interface, infrastructure, application, domain = nodes
    assert edges == [
        (interface, "~~~", infrastructure),
        (infrastructure, "~~~", application),
        (application, "~~~", domain),
        (interface, "-->", application),
        (application, "-->", infrastructure),
        (application, "-->", domain),
        (domain, "-.->", infrastructure),
    ]
    assert red == [4, 6]
    assert '["domain<br/>2 modules"]' in result.stdout and '|"1 chain"|' in result.stdout


def test_layers_dot_marks_violations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _invoke(_project(tmp_path, VIOLATIONS), monkeypatch, "layers", "--format", "dot")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "digraph layers {" and lines[-1] == "}"
    edges = [line.strip() for line in lines if "->" in line]
    assert edges == [
        "layer0 -> layer1 [style=invis];",
        "layer1 -> layer2 [style=invis];",
        "layer2 -> layer3 [style=invis];",
        'layer0 -> layer2 [label="1 import"];',
        'layer2 -> layer1 [label="1 import", color=red, fontcolor=red, constraint=false];',
        'layer2 -> layer3 [label="1 import"];',
        'layer3 -> layer1 [label="1 chain", color=red, fontcolor=red, constraint=false, style=dashed];',
    ]


def test_layers_of_a_project_without_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, {"app/models.py": ""}, packages=("app",))
    result = _invoke(root, monkeypatch, "layers")
    assert result.exit_code == 0
    assert result.stdout.startswith("No layers detected") and "entrypoints" in result.stdout
    diagram = _invoke(root, monkeypatch, "layers", "--format", "mermaid")
    assert diagram.exit_code == 0 and diagram.stdout == "" and diagram.stderr.startswith("No layers detected")


def test_layers_with_one_configured_layer_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One configured layer is not "none": its rules still run in `check`.
    config = '[tool.infralint.layers]\norder = ["infrastructure"]\nnames = { infrastructure = ["app"] }\n'
    root = _project(tmp_path, {"app/models.py": ""}, packages=("app",), config=config)
    result = _invoke(root, monkeypatch, "layers")
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        "One layer, infrastructure: its rules apply, but imports between layers need two or more "
        "in the configured [tool.infralint.layers] order."
    )


def test_layers_reports_a_bad_path_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _invoke(_project(tmp_path, VIOLATIONS), monkeypatch, "layers", "missing")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == ["infralint: error: missing: no such file or directory"]


def test_grimp_is_imported_only_by_whole_project_runs(tmp_path: Path) -> None:
    root = _project(tmp_path, CHAIN)
    probe = (
        "import sys\nfrom infralint.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('grimp' in sys.modules)\n"
    )

    def imports_grimp(*args: str) -> bool:
        run = subprocess.run([sys.executable, "-c", probe, *args], cwd=root, capture_output=True, text=True)
        return run.stdout.strip().splitlines()[-1] == "True"

    assert not imports_grimp("--version")
    assert not imports_grimp("check", "shop/domain/order.py")
    assert imports_grimp("check")
    # Files old enough to trust their timestamps: the second run takes IL103
    # from the cache, the first one (its cache being written) cannot.
    _age(root)
    assert imports_grimp("check")
    assert not imports_grimp("check")
    assert imports_grimp("check", "--no-cache")


def _age(root: Path) -> None:
    """Date the files written in the last minute an hour back, old enough
    for their timestamps to be trusted (the others keep theirs)."""
    hour, now = 3600 * 1_000_000_000, time.time_ns()
    for path in root.rglob("*.py"):
        stat = path.stat()
        if stat.st_mtime_ns > now - hour // 60:
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - hour))


def _graph_builds(monkeypatch: pytest.MonkeyPatch) -> List[int]:
    """Counts the import graphs built in this process."""
    from infralint.graph import ProjectGraph

    built: List[int] = []
    real_build = ProjectGraph.build.__func__  # type: ignore[attr-defined]

    def counting(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        return real_build(cls, *args, **kwargs)

    monkeypatch.setattr(ProjectGraph, "build", classmethod(counting))
    return built


def test_il103_is_taken_from_the_cache_only_while_everything_it_reads_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = "from shop.utils import money  # infralint: ignore[IL103]\n"
    root = _project(tmp_path, {**CHAIN, "shop/domain/quiet.py": quiet, "main.py": "import os\n"})
    _age(root)
    built = _graph_builds(monkeypatch)
    first = _check(root, monkeypatch, "--select", "IL101,IL103,IL002")
    chain = [f for f in first if f["code"] == "IL103"]
    assert len(chain) == 1 and chain[0]["chain"][0]["line"] == 1 and len(built) == 1
    assert _check(root, monkeypatch) == first and len(built) == 1  # the same, chain included
    # Anything IL103 reads changes: the graph is built again.
    changes = [
        # a module of the chain
        lambda: (root / "shop/utils/money.py").write_text("from shop.infrastructure.db import Database\n\n"),
        # a new module, in a directory excluded from linting (grimp reads it)
        lambda: write_files(root, {"shop/utils/generated/__init__.py": "", "shop/utils/generated/x.py": "X = 1\n"}),
        # a suppression in a linted file
        lambda: (root / "shop/domain/quiet.py").write_text("from shop.utils import money\n"),
        # a linted module outside the packages (an unused IL103 suppression)
        lambda: (root / "main.py").write_text("import os  # infralint: ignore[IL103]\n"),
    ]
    write_files(root, {"pyproject.toml": '[tool.infralint]\nextend-exclude = ["shop/utils/generated/"]\n'})
    _check(root, monkeypatch)
    for change in changes:
        before = len(built)
        change()
        _age(root)
        _check(root, monkeypatch)
        assert len(built) == before + 1
        _check(root, monkeypatch)
        assert len(built) == before + 1
    assert [(f["path"], f["code"]) for f in _check(root, monkeypatch)] == [
        ("main.py", "IL002"),
        ("shop/domain/order.py", "IL103"),
        ("shop/domain/quiet.py", "IL103"),
    ]
    # From another working directory the paths differ: not taken from the cache.
    monkeypatch.chdir(root / "shop")
    moved = cli_runner().invoke(main, ["check", "--format", "json", "--select", "IL101,IL103,IL002", str(root)])
    assert [f["path"] for f in json.loads(moved.stdout)] == ["../main.py", "domain/order.py", "domain/quiet.py"]


def test_a_run_that_misses_the_il103_cache_finds_the_packages_once_and_writes_the_cache_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import infralint.cache
    import infralint.graph

    root = _project(tmp_path, CHAIN)
    _age(root)
    walks: List[int] = []
    writes: List[Path] = []
    real_walk, real_write = infralint.graph._package_directories, infralint.cache._write_atomically
    monkeypatch.setattr(infralint.graph, "_package_directories", lambda *args: walks.append(1) or real_walk(*args))
    monkeypatch.setattr(infralint.cache, "_write_atomically", lambda path, text: writes.append(path) or real_write(path, text))
    built = _graph_builds(monkeypatch)
    first = _check(root, monkeypatch)
    assert (len(built), len(walks), len(writes)) == (1, 1, 1)
    # A linted module of the chain changes: its entry and IL103's are new.
    (root / "shop/utils/money.py").write_text("import os\n\nfrom shop.infrastructure.db import Database\n")
    _age(root)
    assert [f["chain"][1]["line"] for f in _check(root, monkeypatch) if f["code"] == "IL103"] == [3]
    assert (len(built), len(walks), len(writes)) == (2, 2, 2)
    # Unchanged: the digest's walk only, nothing written.
    assert [f["code"] for f in _check(root, monkeypatch)] == [f["code"] for f in first]
    assert (len(built), len(walks), len(writes)) == (2, 3, 2)


def test_a_file_modified_within_two_seconds_is_not_trusted_for_il103(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, CHAIN)
    built = _graph_builds(monkeypatch)
    _check(root, monkeypatch)
    _check(root, monkeypatch)
    assert len(built) == 2  # just written: a later write could keep the timestamp


@pytest.mark.parametrize(
    "build_file, build",
    [
        # SQLAlchemy's layout: lib/sqlalchemy, with setuptools told where = ["lib"].
        ("pyproject.toml", '[tool.setuptools.packages.find]\nwhere = ["lib"]\n'),
        # A setup.cfg-only project (pyscaffold's template, with lib instead of src).
        ("setup.cfg", "[options]\npackage_dir =\n    =lib\npackages = find:\n"),
    ],
)
def test_packages_under_the_build_configurations_source_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build_file: str, build: str
) -> None:
    files = {f"lib/{path}": text for path, text in {**CHAIN, "shop/domain/cart.py": "from shop.infrastructure import db\n"}.items()}
    inits = {f"lib/{package}/__init__.py": "" for package in PACKAGES}
    write_files(tmp_path, {build_file: build, **inits, **files})
    findings = _check(tmp_path, monkeypatch, "--ignore", "IL501")
    assert [(f["path"], f["code"], f["message"].rsplit(" ", 1)[-1]) for f in findings] == [
        ("lib/shop/domain/cart.py", "IL101", "shop.infrastructure.db"),
        ("lib/shop/domain/order.py", "IL103", "shop.infrastructure.db"),
    ]
