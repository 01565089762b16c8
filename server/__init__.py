"""Schulte's sync server: accounts, verified sessions, tickets, challenges and honest leaderboards.

A Litestar app (``server.app.create_app``) over SQLAlchemy: SQLite by default, PostgreSQL when
configured. Every game rule comes from ``core``: the server decodes, asks ``core.verify``, stores
and ranks. ``python -m server`` migrates the database and serves the API and the PWA at one URL.
"""
