"""File choosers, in one place so tests can patch them."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget


def choose_save_file(parent: QWidget | None, title: str, filter_: str, start: str = "") -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, start, filter_)
    return path


def choose_open_file(parent: QWidget | None, title: str, filter_: str, start: str = "") -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, start, filter_)
    return path
