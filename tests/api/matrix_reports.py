"""Access-matrix rows for the report document: any role, for a unit of its subtree (outside it: 404)."""

from tests.api.matrix import Row


def report_query(ctx, in_scope):
    # XLSX: the same scope check as the PDF, at a fraction of the cost for the matrix's many calls.
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    return {}, {"unit": unit.code, "period": "2025", "format": "xlsx"}


REPORT_ROWS: list[Row] = [
    Row("report-document", "GET", report_query),
]
