"""The import preview: counts at the top, then a tree the SENCO ticks (new pupils, each
changed field old → new, possible leavers, rows to choose a match for, rows refused)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from sencodesk.mis.preview import CHOOSE, LEAVER, NEW, UPDATE, Choices, Plan, shown

ROLE = Qt.ItemDataRole.UserRole
CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


def _check(item: QTreeWidgetItem, on: bool) -> None:
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(0, CHECKED if on else UNCHECKED)


class PreviewTree(QWidget):
    """Shows a plan; ``choices()`` reads back what is ticked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.counts = QLabel("")
        self.counts.setObjectName("counts")
        self.counts.setWordWrap(True)
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.counts.setStyleSheet("font-weight: bold")
        lay.addWidget(self.counts)
        self.hint = QLabel(
            "Names, dates of birth, UPNs, years and classes follow the MIS (ticked). The SEN "
            "code and needs you keep here are not changed unless you tick them. Pupils not "
            "in the file are only marked as leavers if you tick them; nobody is deleted."
        )
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("What the import would do")
        self.tree.setUniformRowHeights(True)
        lay.addWidget(self.tree, 1)
        self.plan: Plan | None = None
        self.sections: dict[str, QTreeWidgetItem] = {}
        self.tree.itemChanged.connect(self._changed)

    def show_plan(self, plan: Plan) -> None:
        self.plan = plan
        c = plan.counts
        who = "pupils" if plan.kind == "pupils" else "members of staff"
        parts = [
            f"{c['new']:,} new",
            f"{c['changed']:,} with changes",
            f"{c['unchanged']:,} unchanged",
        ]
        if plan.kind == "pupils":
            parts.append(f"{c['leavers']:,} not in the file")
        parts += [f"{c['ambiguous']:,} to choose", f"{c['refused']:,} refused"]
        self.counts.setText(
            f"{plan.source.file_name} ({plan.source.description}, "
            f"{shown('date', plan.source.file_date)}): {c['rows']:,} {who} read.\n"
            + " · ".join(parts)
        )
        self.hint.setVisible(plan.kind == "pupils")
        tree = self.tree
        tree.blockSignals(True)
        tree.clear()
        self.sections = {}
        for action, title in (
            (NEW, "New"),
            (UPDATE, "Changes"),
            (CHOOSE, "Choose who this is"),
            (LEAVER, "Not in the file: mark as leavers on " + shown("d", plan.source.file_date)),
        ):
            items = plan.of(action)
            if not items:
                continue
            top = QTreeWidgetItem(tree, [f"{title} ({len(items):,})"])
            self.sections[action] = top
            if action in (NEW, UPDATE, LEAVER):
                top.setFlags(top.flags() | Qt.ItemFlag.ItemIsAutoTristate)
                _check(top, action != LEAVER)
            for it in items:
                self._add(top, action, it)
            top.setExpanded(action != NEW or len(items) <= 50)
        if plan.refused:
            top = QTreeWidgetItem(tree, [f"Refused ({plan.counts['refused']:,}): not imported"])
            self.sections["refused"] = top
            for r in plan.refused:
                QTreeWidgetItem(top, [str(r)])
            top.setExpanded(True)
        tree.blockSignals(False)

    def _add(self, top: QTreeWidgetItem, action: str, it: Any) -> None:
        if action == NEW:
            values = dict(it.values)
            bits = [shown("date_of_birth", values.get("date_of_birth"))]
            if "sen_code" in values:
                bits.append(f"SEN {values['sen_code']}")
            place = it.where.split(" (")[0]  # a CTF's place names the pupil again
            row = QTreeWidgetItem(top, [f"{it.name} ({', '.join(bits)}), {place}"])
            row.setData(0, ROLE, ("item", it.key))
            _check(row, True)
        elif action == LEAVER:
            row = QTreeWidgetItem(top, [it.name])
            row.setData(0, ROLE, ("item", it.key))
            _check(row, False)
        elif action == UPDATE:
            row = QTreeWidgetItem(top, [f"{it.name}, {it.where}"])
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsAutoTristate)
            for ch in it.changes:
                leaf = QTreeWidgetItem(row, [str(ch) + ("" if ch.default else "  (MIS value)")])
                leaf.setData(0, ROLE, ("field", it.key, ch.field))
                _check(leaf, ch.default)
            row.setExpanded(True)
        else:  # CHOOSE: one of the candidates, or a new pupil; nothing ticked until chosen
            row = QTreeWidgetItem(top, [f"{it.name}, {it.where}: who is this?"])
            for cand in it.candidates:
                leaf = QTreeWidgetItem(row, [f"The same as: {cand.description}"])
                leaf.setData(0, ROLE, ("choose", it.key, cand.id))
                _check(leaf, False)
            new = QTreeWidgetItem(row, ["Someone new: add them"])
            new.setData(0, ROLE, ("choose", it.key, 0))
            _check(new, False)
            row.setExpanded(True)

    def _changed(self, item: QTreeWidgetItem, _col: int) -> None:
        data = item.data(0, ROLE)
        if not data or data[0] != "choose" or item.checkState(0) != CHECKED:
            return
        parent = item.parent()
        if parent is None:
            return
        self.tree.blockSignals(True)
        for i in range(parent.childCount()):
            other = parent.child(i)
            if other is not None and other is not item:
                other.setCheckState(0, UNCHECKED)
        self.tree.blockSignals(False)

    def choices(self) -> Choices:
        c = Choices()
        tops = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        stack = [t for t in tops if t is not None]
        while stack:
            item = stack.pop()
            kids = (item.child(i) for i in range(item.childCount()))
            stack.extend(k for k in kids if k is not None)
            data = item.data(0, ROLE)
            if not data or item.checkState(0) != CHECKED:
                continue
            if data[0] == "item":
                c.items.add(data[1])
            elif data[0] == "field":
                c.fields.add((data[1], data[2]))
            else:
                c.chosen[data[1]] = data[2]
        return c

    def find_item(self, text: str) -> QTreeWidgetItem:
        """The first item whose text starts with ``text`` (for tests and keyboard users)."""
        found = self.tree.findItems(
            text, Qt.MatchFlag.MatchStartsWith | Qt.MatchFlag.MatchRecursive
        )
        if not found:
            raise LookupError(text)
        return found[0]
