"""Imports into the directory: INSEE SIRENE stock files and any CSV with a mapping. Both stream their input,
report every row they could not take with its line number and reason, and upsert by SIRET idempotently."""
