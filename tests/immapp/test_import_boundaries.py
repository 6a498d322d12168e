"""Apps talk to each other through a few public modules only: a module of one app may import
another app's `services`, `models`, `exceptions`, `access` and template tags, never its views,
wizard, tasks or any other (private) module. Read from the source, so a new import that crosses
a boundary fails here before anyone calls it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("applications", "documents", "payments", "quota")
PUBLIC = {"services", "models", "exceptions", "access", "templatetags"}


def _modules(app: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted name) of everything a module imports, `from a import b` giving "a.b"."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, node.module + "." + alias.name) for alias in node.names]
    return found


def crossings(app: str, source: str) -> list[str]:
    """The imports of `source` (a module of `app`) that reach into another app's internals."""
    bad = []
    for line, name in _imported(ast.parse(source)):
        parts = name.split(".")
        if parts[0] not in APPS or parts[0] == app:
            continue
        if len(parts) < 2 or parts[1] not in PUBLIC:
            bad.append(str(line) + ": " + name)
    return bad


@pytest.mark.parametrize("app", [app for app in APPS if (ROOT / app).is_dir()])
def test_no_app_imports_another_apps_internals(app):
    bad = []
    for path in _modules(app):
        for crossing in crossings(app, path.read_text(encoding="utf-8")):
            bad.append(str(path.relative_to(ROOT)) + ":" + crossing)
    assert bad == []


@pytest.mark.parametrize(
    ("source", "allowed"),
    [
        ("from documents import services", True),
        ("from documents.services import checklist_for_group", True),
        ("from applications.models import ApplicationGroup", True),
        ("from applications.access import Access", True),
        ("from quota.exceptions import QuotaClosed", True),
        ("from documents.templatetags.documents_tags import item_error", True),
        ("from applications.services.submission import confirm_payment", True),
        ("from documents.views import checklist_context", False),
        ("from documents.viewer import Viewer", False),
        ("from applications.wizard import steps", False),
        ("from applications.wizard.steps import COMPANY", False),
        ("import documents.tasks", False),
        ("from quota import hotpath", False),
        ("from quota._private import x", False),
        ("from documents import views", False),
    ],
)
def test_the_rule_itself(source, allowed):
    """Seen from the payments app, which imports nothing of its own here."""
    assert (crossings("payments", source) == []) is allowed
