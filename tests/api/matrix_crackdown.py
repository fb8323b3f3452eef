"""Access-matrix rows for crackdown campaigns and their results."""

from tests.api.matrix import Row

CRACKDOWN_ROWS: list[Row] = []
