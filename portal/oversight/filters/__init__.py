"""List filters of the oversight app (shared by the API and the pages), one module per area."""
