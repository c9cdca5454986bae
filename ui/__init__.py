"""The Qt GUI. Importing it applies ``qtfix`` (a PySide6 6.12.0 reference-count bug)."""

from . import qtfix as _qtfix  # noqa: F401
