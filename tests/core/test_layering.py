"""The apps are layered, and every arrow points down:

    core ← accounts ← audit ← access ← files ← units ← campaign ← supervision, rectification
         ← notifications, personnel ← api, demo

accounts (the user model) sits just above core: every app points at its user, so it knows
none of them; personnel (offices managing the accounts of their subtree) needs units'
memberships and supervision's groups, so it sits above them, beside notifications.
files (the one upload pipeline: checks, storage, previews, generic attachments) sits just above
access, whose policy scopes its attachments, and below units, so that every domain app may take
files; its owners register with it. core, accounts, audit, access and files know no domain app (the apps register their rules, role sources,
vocabulary and panels with them in AppConfig.ready()); supervision and rectification know
each other not at all. Checked on the imports of every module, in functions too, and on
the models' relations (a string foreign key is a dependency as much as an import is). An
import inside a function says why it is not at the top, in a comment.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {
    "core": 0, "accounts": 1, "audit": 2, "access": 3, "files": 4, "units": 5, "campaign": 6, "supervision": 7,
    "rectification": 7, "notifications": 8, "personnel": 8, "api": 9, "demo": 9,
}


def modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imports(path):
    """(line, imported top-level name, inside a function?, explained?) for each absolute import."""
    source = path.read_text()
    lines = source.split("\n")
    tree = ast.parse(source)
    inside = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    above = lines[function.lineno:node.lineno - 1]
                    inside[node] = "#" in lines[node.lineno - 1] or any(line.strip().startswith("#") for line in above)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            yield node.lineno, name.split(".")[0], node in inside, inside.get(node, True)


@pytest.mark.parametrize("app", sorted(LAYERS))
def test_imports_point_down(app):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in modules(app)
        for line, target, _inside, _explained in imports(path)
        if target in LAYERS and target != app and LAYERS[target] >= LAYERS[app]
    ]
    assert wrong == []


@pytest.mark.parametrize("app", sorted(LAYERS))
def test_imports_inside_functions_say_why(app):
    unexplained = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in modules(app)
        for line, target, inside, explained in imports(path)
        if inside and not explained
    ]
    assert unexplained == []


def test_model_relations_point_down():
    wrong = []
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in LAYERS:
            continue
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related is None or field.auto_created:
                continue
            target = related._meta.app_label
            if target in LAYERS and target != app and LAYERS[target] >= LAYERS[app]:
                wrong.append(f"{model._meta.label}.{field.name} → {related._meta.label}")
    assert wrong == []


def test_the_layers_are_the_installed_project_apps():
    project = {config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()}
    assert project == set(LAYERS)
