"""Full-text search: the only package that will import the search engine (Whoosh).

Empty until the search issue lands; the catalogue does not depend on it yet.
"""
