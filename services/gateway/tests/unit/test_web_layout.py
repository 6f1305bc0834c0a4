"""The web client's layout holds: one folder per area, one template environment whose
names do not collide, pages that never import the API's routes."""

import ast
from collections import Counter
from pathlib import Path

from gateway.web.common.templating import AREAS, TEMPLATE_DIRS, WEB, templates

API_ROUTES = {"gateway.entrypoints.api", "gateway.entrypoints.customers_api",
              "gateway.entrypoints.booking_api", "gateway.entrypoints.inquiries_api",
              "gateway.entrypoints.portal_api", "gateway.entrypoints.public_api"}  # fmt: skip


def test_every_area_folder_is_on_the_template_path_and_names_are_unique() -> None:
    folders = {p.parent.name for p in WEB.glob("*/templates")}
    assert folders == set(AREAS)
    names = Counter(p.name for d in TEMPLATE_DIRS for p in d.glob("*.html"))
    assert [n for n, count in names.items() if count > 1] == []
    for name in names:  # every template compiles in the one environment (its filters known)
        templates.get_template(name)


def test_pages_never_import_the_api_routes() -> None:
    for path in Path(WEB).rglob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not imported & API_ROUTES, path


def test_pages_read_the_services_through_their_clients() -> None:
    """No page calls the transport with a path string or reads a service's JSON itself
    (issue 10): it calls a method of the service's client. Downloads stream as they are."""
    for path in Path(WEB).rglob("*.py"):
        tree = ast.parse(path.read_text())
        calls = {
            n.func.attr
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
        }
        assert not calls & {"json", "call"}, path
