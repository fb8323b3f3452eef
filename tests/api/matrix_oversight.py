"""Access-matrix rows for inspections, directives and recommendations."""

from tests.api.matrix import Row

OVERSIGHT_ROWS: list[Row] = []
