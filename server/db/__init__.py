"""Persistence: the tables (``models``), the engine (``engine``) and the queries (``repositories``)."""
