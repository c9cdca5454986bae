"""Data safety: backups, the one-writer lock, network shares, integrity, encryption at rest,
the audit history, retention and erasure, and subject access requests.

Nothing is imported here, so that ``store`` can use the low-level modules (``errors``,
``sqlitefile``, ``lock``, ``location``) without an import cycle.
"""
