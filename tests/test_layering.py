"""The package's layers, read from the import statements of every module.

Arrows point down only: the engine imports no family and no scikit-learn (and its core
none of its own family kernels, ``_engine/families``); shared
subpackages (utils, metrics, datasets) import no family; a family uses another family
only through its public names, never through its private modules.
"""

import ast
import pathlib

import pytest

import sparsestat

PACKAGE = pathlib.Path(sparsestat.__file__).parent
FAMILIES = {"cluster", "dag", "linear_model", "nn", "ordinal", "privacy", "quantile"}
SHARED = {"_engine", "utils", "metrics", "datasets"}


def _module_name(path, root=PACKAGE):
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_statements(path, root):
    """Per import statement, the absolute names it imports (``from a import b``: a, a.b)."""
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield [alias.name]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            # ``from ..linear_model import _base`` names a module among the imported names
            yield [module] + [f"{module}.{alias.name}" for alias in node.names]


def _rule_broken(source, name):
    layer = source[1]
    target = name.split(".")
    if layer == "_engine" and target[0] == "sklearn":
        return f"{name} (the engine imports no scikit-learn)"
    if target[0] != "sparsestat" or len(target) < 2:
        return None
    if layer == "_engine" and target[1] not in ("_engine", "__version__"):
        return f"{name} (the engine imports nothing above it)"
    if (source[:3] != ["sparsestat", "_engine", "families"] and target[1] == "_engine"
            and target[2:3] == ["families"] and layer == "_engine"):
        return f"{name} (the engine's core imports no family kernel)"
    if layer in SHARED and target[1] in FAMILIES:
        return f"{name} (a shared subpackage imports no family)"
    if (layer in FAMILIES and target[1] in FAMILIES and target[1] != layer
            and len(target) > 2 and target[2].startswith("_")):
        return f"{name} (another family's private module)"
    return None


def _violations(path, root=PACKAGE):
    """One message per import statement that breaks a rule."""
    source = _module_name(path, root).split(".")
    if len(source) < 2:
        return []
    found = []
    for names in _import_statements(path, root):
        broken = [msg for msg in (_rule_broken(source, n) for n in names) if msg]
        if broken:
            found.append(broken[0])
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_imports_respect_the_layers(path):
    assert _violations(path) == []


def test_the_checker_sees_a_cross_family_import(tmp_path):
    # the test above passes trivially if the parser sees nothing: plant a violation
    fake = tmp_path / "sparsestat"
    (fake / "quantile").mkdir(parents=True)
    (fake / "_engine").mkdir()
    bad = fake / "quantile" / "_bad.py"
    bad.write_text("from ..linear_model._base import x\nimport sparsestat.dag._colide\n")
    engine = fake / "_engine" / "_bad.py"
    engine.write_text("from sklearn.base import BaseEstimator\nfrom ..utils import y\n"
                      "from .families._mlp import run_epoch\n")
    assert len(_violations(bad, fake)) == 2
    assert len(_violations(engine, fake)) == 3
