"""The code-side net: the public surface read from generated sources, and what breaks it."""

from __future__ import annotations

from generator.diff import CLIENT, Change, Report
from generator.gate.surface import Surface, change_anchors, compare, extract, unflagged
from tests.specs import ROOT

CLIENT_PY = """
class ShopClient(SyncAPIClient):
    orders: OrdersResource
    def __init__(self, api_key=None): ...
class _Hidden: ...
"""
RESOURCE_PY = """
class OrdersResource(SyncAPIResource):
    def get(self, order_id: str, *, expand: bool | NotGiven = NOT_GIVEN) -> Order:
        return self._client.request(RequestOptions(method="GET", path="/orders/{order_id}"))
    def create(self, *, sku: str, note: str | NotGiven = NOT_GIVEN) -> Order:
        body = dump_body(CreateOrder, {"sku": sku, "note": note})
        return self._client.request(RequestOptions(method="POST", path="/orders", json_body=body))
    def _helper(self) -> None: ...
"""
MODELS_PY = """
class Order(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    note: str | None = None
class OrderState(StrEnum):
    OPEN = "open"
"""


def extract_all(resource: str = RESOURCE_PY, models: str = MODELS_PY) -> Surface:
    """The surface of the sample package, with ``resource`` and ``models`` swapped in."""
    files = {"_client.py": CLIENT_PY, "resources/orders.py": resource, "models.py": models}
    return extract({**files, "README.md": "not python", "_types.py": "X = 1"})


def test_extract_reads_clients_resources_methods_parameters_models_fields_members() -> None:
    surface = extract_all()
    assert {name: item.kind for name, item in surface.items()} == {
        "ShopClient": "client",
        "ShopClient.orders": "resource",
        "OrdersResource": "resource class",
        "OrdersResource.get": "method",
        "OrdersResource.get(order_id)": "parameter",
        "OrdersResource.get(expand)": "parameter",
        "OrdersResource.create": "method",
        "OrdersResource.create(sku)": "parameter",
        "OrdersResource.create(note)": "parameter",
        "Order": "model",
        "Order.id": "field",
        "Order.note": "field",
        "OrderState": "model",
        "OrderState.OPEN": "member",
    }
    get_id, expand = surface["OrdersResource.get(order_id)"], surface["OrdersResource.get(expand)"]
    assert (get_id.required, get_id.position, expand.required, expand.position) == (
        True,
        1,
        False,
        None,
    )
    assert (surface["Order.id"].required, surface["Order.note"].required) == (True, False)
    assert surface["OrdersResource.create(sku)"].anchors == {
        "op:POST /orders",
        "path:/orders",
        "schema:createorder",
    }


def test_compare_finds_removals_renames_and_new_obligations() -> None:
    resource = RESOURCE_PY.replace(
        "def get(self, order_id: str, *,", "def get(self, *, order_id: str,"
    )
    resource = resource.replace("note: str | NotGiven = NOT_GIVEN", "memo: str")
    models = MODELS_PY.replace("    note: str | None = None\n", "")
    findings = compare(extract_all(), extract_all(resource, models))
    assert [(f.kind, f.name) for f in findings] == [
        ("field removed", "Order.note"),
        ("required parameter added", "OrdersResource.create(memo)"),
        ("parameter removed", "OrdersResource.create(note)"),
        ("parameter moved", "OrdersResource.get(order_id)"),
    ]
    assert "was positional #1, now keyword-only" in findings[-1].detail


def test_a_new_method_with_required_parameters_breaks_nothing() -> None:
    resource = RESOURCE_PY.replace(
        "    def _helper(self)",
        "    def cancel(self, order_id: str, *, reason: str) -> None: ...\n    def _helper(self)",
    )
    assert compare(extract_all(), extract_all(resource)) == []


def test_nothing_changed_nothing_found() -> None:
    assert compare(extract_all(), extract_all()) == []


def _report(*changes: Change) -> Report:
    return Report(changes)


def test_a_client_breaking_change_of_the_same_schema_or_operation_covers_a_finding() -> None:
    models = MODELS_PY.replace("    note: str | None = None\n", "")
    findings = compare(extract_all(), extract_all(models=models))
    where = "#/components/schemas/Order/properties/note"
    flagged = Change("property removed", where, "`note` removed", (CLIENT,))
    assert unflagged(findings, _report(flagged)) == []
    not_client = Change("property removed", where, "`note` removed", ("wire",))
    elsewhere = Change("property removed", "#/components/schemas/Other", "x", (CLIENT,))
    assert unflagged(findings, _report(not_client, elsewhere)) == findings


def test_change_anchors_name_operations_paths_and_hoisted_models() -> None:
    assert change_anchors("GET /orders/{id}", "") == {"op:GET /orders/{id}", "path:/orders/{id}"}
    assert change_anchors("/orders", "") == {"path:/orders"}
    assert change_anchors("#/paths/~1orders/post/requestBody", "") == {
        "path:/orders",
        "op:POST /orders",
    }
    nested = "#/components/schemas/Order/properties/line_items/items/properties/state/enum"
    assert change_anchors(nested, "model `Old_Name` renamed") >= {
        "schema:order",
        "schema:orderlineitems",
        "schema:orderlineitemsitem",
        "schema:orderlineitemsitemstate",
        "schema:oldname",
    }


def test_a_generated_method_is_anchored_through_its_endpoint_constant() -> None:
    """Generated methods name a module-level ``Endpoint``; the surface reads the route there."""
    folder = ROOT / "generated" / "testmo"
    files = {
        path.relative_to(folder).as_posix(): path.read_text("utf-8")
        for path in folder.rglob("*.py")
    }
    surface = extract(files)
    create = surface["AutomationRunsResource.create"].anchors
    assert {
        "op:POST /projects/{project_id}/automation/runs",
        "schema:createautomationrunrequest",
    } <= create
    assert surface["AsyncAutomationRunsResource.create(name)"].anchors == create
    assert surface["TestmoClient.automation_runs"].kind == "resource"
