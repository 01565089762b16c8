"""Helpers shared by test suites (no test module imports another)."""
