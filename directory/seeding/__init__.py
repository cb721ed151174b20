"""Loading `seeds/` (reference data and the seed catalogue) and making synthetic catalogues."""
