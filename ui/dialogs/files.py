"""File choosers, in one place so tests can patch them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def choose_save_file(parent: QWidget | None, title: str, filter_: str, start: str = "") -> str:
    from PySide6.QtWidgets import QFileDialog  # here: its enums cost start-up time

    path, _ = QFileDialog.getSaveFileName(parent, title, start, filter_)
    return path


def choose_open_file(parent: QWidget | None, title: str, filter_: str, start: str = "") -> str:
    from PySide6.QtWidgets import QFileDialog  # here: its enums cost start-up time

    path, _ = QFileDialog.getOpenFileName(parent, title, start, filter_)
    return path
