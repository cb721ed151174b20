"""Public pages of the catalogue: home, organisations, services (search follows)."""
