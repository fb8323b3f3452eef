"""Access-matrix rows for inspections, directives and recommendations."""

from tests.api.matrix import Row
from tests.api.matrix_inspections import INSPECTION_ROWS
from tests.api.matrix_recommendations import RECOMMENDATION_ROWS

OVERSIGHT_ROWS: list[Row] = [*RECOMMENDATION_ROWS, *INSPECTION_ROWS]
