"""A shared PostgreSQL server for a school or a trust: roles, row-level security, users.

``ddl`` says what each role may do (as data); ``admin`` sets a database up and manages its
logins (run as the database's owner, from ``python main.py server …``).
"""
