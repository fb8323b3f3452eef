"""Services of the oversight app, one module per area (inspections and directives, recommendations)."""

from .inspections import (  # noqa: F401
    DIRECTIVE_EDITABLE,
    DOCUMENT_TYPES,
    INSPECTION_EDITABLE,
    InspectionError,
    InspectionStaleVersionError,
    directive_create,
    directive_progress,
    directive_update,
    document_attach,
    document_delete,
    inspection_create,
    inspection_update,
)
from .recommendations import (  # noqa: F401
    RecommendationError,
    RecommendationStaleError,
    recommendation_answer,
    recommendation_decline,
    recommendation_forward,
    recommendation_raise,
    recommendation_review,
)
