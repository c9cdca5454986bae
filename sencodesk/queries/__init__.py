"""Read functions: ``(session, ...) -> frozen dataclasses``, never ORM objects.

Modules by subject: ``school``, ``pupils``, ``staff``, ``money`` (funding and contracts),
``reviews``, ``records``. Each loads what it needs in a few set-based queries.
"""
