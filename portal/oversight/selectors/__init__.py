"""Selectors of the oversight app, one module per area (inspections and directives, recommendations)."""

from .dashboard import recommendations_awaiting  # noqa: F401
from .inspections import (  # noqa: F401
    directive_counts,
    directive_detail,
    directive_get,
    directive_list,
    document_get,
    inspection_detail,
    inspection_get,
    inspection_list,
)
from .recommendations import (  # noqa: F401
    recommendation_counts,
    recommendation_detail,
    recommendation_get,
    recommendation_list,
    recommendations_due,
)
