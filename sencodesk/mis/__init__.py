"""Bring a school's register in from its MIS: a Common Transfer File (CTF) or a spreadsheet.

``read_file`` parses a file into rows (``ctf``, ``sheet``); ``preview.make_plan`` matches
them to the database (``match``) and builds a frozen plan the SENCO ticks; ``apply``
writes the ticked choices in one audited transaction through the editors' commands.
Nothing here imports Qt.
"""
