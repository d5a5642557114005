#!/usr/bin/python3
"""Recalculates a workbook in LibreOffice (headless, through python3-uno) and prints the values of the cells
asked for, as JSON: the real client for tests/integration/capacity_workbook.rs.

usage: recalc.py WORKBOOK PORT PROFILE_DIR SHEET [SET LABEL=VALUE ...] -- LABEL...

Cells are found by their label in column A of SHEET; the value is the cell to its right (column B). SET
assignments change an input cell before recalculating (a number, or text when it does not parse). Prints
{"label": value, ...} after document.calculateAll(). Starts soffice in a session of its own and always ends that session (a 150 s alarm included).
"""
import json
import os
import signal
import subprocess
import sys
import time

import uno  # noqa: F401  (python3-uno: sets up the bridge)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(port, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.time() > deadline:
                raise
            time.sleep(0.25)


def labels(sheet):
    found = {}
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    for row in range(cursor.RangeAddress.EndRow + 1):
        text = sheet.getCellByPosition(0, row).getString()
        if text and text not in found:
            found[text] = row
    return found


def value(cell):
    kind = cell.getType().value
    if kind == "TEXT" or (kind == "FORMULA" and cell.getError() == 0 and cell.FormulaResultType2 == 2):
        return cell.getString()
    if kind == "FORMULA" and cell.getError() != 0:
        return {"error": cell.getError()}
    return cell.getValue()


def timed_out(signum, frame):
    raise TimeoutError("LibreOffice took more than 150 s")


def main():
    path, port, profile, sheet_name = sys.argv[1:5]
    rest = sys.argv[5:]
    split = rest.index("--")
    sets = [a.split("=", 1) for a in rest[:split] if a != "SET"]
    wanted = rest[split + 1:]
    office = subprocess.Popen(
        ["/usr/bin/soffice", "--headless", "--invisible", "--norestore", "--nologo",
         f"--accept=socket,host=127.0.0.1,port={port};urp;", f"-env:UserInstallation=file://{profile}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    signal.signal(signal.SIGALRM, timed_out)
    signal.alarm(150)
    try:
        context = connect(port, time.time() + 60)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        document = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        sheet = document.Sheets.getByName(sheet_name)
        rows = labels(sheet)
        for label, text in sets:
            cell = sheet.getCellByPosition(1, rows[label])
            try:
                cell.setValue(float(text))
            except ValueError:
                cell.setString(text)
        document.calculateAll()
        print(json.dumps({label: value(sheet.getCellByPosition(1, rows[label])) for label in wanted}))
        document.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge drops when soffice quits
            pass
    finally:
        # soffice is a launcher (oosplash) with soffice.bin as its child: end the whole session we started.
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(office.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        office.wait()


if __name__ == "__main__":
    main()
