"""The catalogue of Brussels help and everything people do with it."""
