"""Keeping the search index equal to the database: the outbox, the documents the index
receives, the one writer that applies changes, rebuilds and the start-up check."""
