"""Receiving report packages from the level below: the format's limits and schemas, reading and
checking a package (`reader`), importing it into the store (`importer`, `importer_rows`), the
sealed personal part (`crypto`, `personal_import`) and the reminder of who has not sent.

`reports/` writes; this package reads what arrives from outside, which is hostile until checked
(docs/trust-model.md)."""
