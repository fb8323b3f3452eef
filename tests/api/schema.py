"""The OpenAPI schema as /api/schema/ serves it, for tests of what it documents."""

from functools import cache

from drf_spectacular.generators import SchemaGenerator


@cache
def api_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def component(name: str) -> dict:
    return api_schema()["components"]["schemas"][name]


def documented_statuses(path: str, method: str) -> set[int]:
    """The status codes the schema lists for an operation, e.g. ("/api/v1/units/{id}/", "get")."""
    return {int(code) for code in api_schema()["paths"][path][method]["responses"]}
