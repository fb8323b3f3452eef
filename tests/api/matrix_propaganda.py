"""Access-matrix rows for propaganda programs and activities."""

from tests.api.matrix import Row

PROPAGANDA_ROWS: list[Row] = []
