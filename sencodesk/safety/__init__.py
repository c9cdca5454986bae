"""Data safety: backups, the one-writer lock, network shares, integrity, encryption at rest,
the audit history, retention and erasure, and subject access requests.

Nothing is imported here (one constant is defined), so that ``store`` can use the low-level
modules (``errors``, ``sqlitefile``, ``lock``, ``location``, ``opening``) without an import cycle.
"""

# The environment variable with an encrypted database's passphrase (``sqlitefile`` reads it):
# here so that the command line names it without importing sqlite3 and the crypto helpers.
PASSPHRASE_ENV = "SENCODESK_PASSPHRASE"
