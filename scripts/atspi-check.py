#!/usr/bin/python3
"""Manual check (not in CI): is the desktop window usable through the accessibility bus (AT-SPI)?

Run it inside a private D-Bus session and an X server (Debian: python3-pyatspi, at-spi2-core,
xvfb, dbus):

    dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
        /usr/bin/python3 scripts/atspi-check.py --build build-test

It starts the accessibility bus (at-spi-bus-launcher), the bundled sample RESO server with a few
hundred listings, and the window (build-test/app/openresync with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1)
on a fresh demo configuration with one source "demo" (or on --config/--data-dir given). Then, as a
screen reader would, only through AT-SPI: lists the application's tree, finds the navigation
entries Dashboard / Schedule / Jobs / Logs / the source, selects the source, presses `Sync now`
through its action interface, waits for the sync to end, and reads the `Resources` and `History`
tables through their table interface. Prints what it found and, at the end, a list of checks with
ok / FAILED; exits 1 when any failed. Stops what it started.

With --first-start the window opens with no configuration at all, as after installing the package:
the check presses the welcome page's `Try with demo data` through AT-SPI, waits for the source
"demo" the window writes, and goes on as above.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pyatspi

CHECKS = []


def check(name, ok, detail=""):
    CHECKS.append((name, bool(ok), detail))
    print(f"[{'ok' if ok else 'FAILED'}] {name}{': ' + detail if detail else ''}", flush=True)
    return ok


def role(node):
    try:
        return node.getRoleName()
    except Exception:  # a node that went away while walking
        return "?"


def walk(node, depth=0, max_depth=40):
    """Yields (depth, node) for the node and its descendants."""
    if node is None or depth > max_depth:
        return
    yield depth, node
    try:
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1, max_depth)


def showing(node):
    try:
        return node.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


def find(root, predicate, only_showing=False):
    for _, node in walk(root):
        if predicate(node) and (not only_showing or showing(node)):
            return node
    return None


def find_all(root, predicate):
    return [node for _, node in walk(root) if predicate(node)]


def wait_for(what, timeout=30.0, interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(interval)
    return None


def print_tree(app, limit):
    lines = 0
    for depth, node in walk(app):
        if lines >= limit:
            print("  … (tree cut here; --tree-lines shows more)")
            return
        name = node.name or ""
        print(f"{'  ' * depth}{role(node)}{(' ' + repr(name)) if name else ''}")
        lines += 1


def table_text(table_node, max_rows=10):
    """The table's header and up to max_rows rows, read through the Table interface only."""
    table = table_node.queryTable()
    rows, columns = table.nRows, table.nColumns
    header = []
    for c in range(columns):
        text = table.getColumnDescription(c)
        if not text:
            cell = table.getColumnHeader(c)
            text = cell.name if cell else ""
        header.append(text)
    body = []
    for r in range(min(rows, max_rows)):
        row = []
        for c in range(columns):
            cell = table.getAccessibleAt(r, c)
            text = cell.name if cell else None
            if cell is not None and not text:
                try:
                    text = cell.queryText().getText(0, -1)
                except NotImplementedError:
                    pass
            row.append(text if text is not None else "<no cell>")
        body.append(row)
    return rows, columns, header, body


def print_table(label, rows, columns, header, body):
    print(f"{label}: {rows} rows × {columns} columns")
    print("  | " + " | ".join(header))
    for row in body:
        print("  | " + " | ".join(row))


def start_demo(build, listings, workdir):
    server = os.path.join(build, "tests/fakereso/reso-sample-server")
    port_file = os.path.join(workdir, "port")
    proc = subprocess.Popen([server, "--listings", str(listings), "--port-file", port_file],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = wait_for(lambda: os.path.exists(port_file) and open(port_file).read().strip(), timeout=60)
    if not port:
        proc.terminate()
        sys.exit("the sample RESO server did not start")
    config = os.path.join(workdir, "config.json")
    with open(config, "w") as out:
        out.write(f"""{{"version": 1, "sources": [{{"name": "demo", "platform": "generic",
  "serviceUrl": "http://127.0.0.1:{port}/odata", "pageSize": 100,
  "resources": [{{"name": "Property", "expand": [{{"name": "Media"}}]}}, {{"name": "Member"}}],
  "destinations": [{{"name": "local", "type": "sqlite"}}],
  "schedules": {{"sync": ["0 3 * * *"]}}}}]}}
""")
    return proc, config, os.path.join(workdir, "data")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build-test", help="the build directory")
    parser.add_argument("--config", help="a configuration (default: a demo on the sample server)")
    parser.add_argument("--data-dir", help="its data directory")
    parser.add_argument("--source", default="demo", help="the source to select and sync")
    parser.add_argument("--listings", type=int, default=500)
    parser.add_argument("--tree-lines", type=int, default=120)
    parser.add_argument("--first-start", action="store_true",
                        help="no configuration: press the welcome page's 'Try with demo data' first")
    args = parser.parse_args()

    started = []
    workdir = tempfile.mkdtemp(prefix="ors-atspi-")
    try:
        launcher = shutil.which("at-spi-bus-launcher") or "/usr/libexec/at-spi-bus-launcher"
        started.append(subprocess.Popen([launcher, "--launch-immediately"]))
        time.sleep(1.0)
        if args.first_start:
            config, data_dir = os.path.join(workdir, "conf", "config.json"), os.path.join(workdir, "data")
            args.source = "demo"
        elif args.config:
            config, data_dir = args.config, args.data_dir or os.path.join(workdir, "data")
        else:
            server, config, data_dir = start_demo(args.build, args.listings, workdir)
            started.append(server)
        # English: the accessible names this checks are the English ones (they are translated).
        env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_ACCESSIBILITY="1", LANGUAGE="en")
        env.pop("QT_QPA_PLATFORM", None)  # the X server of xvfb-run, not offscreen: no a11y bridge there
        started.append(subprocess.Popen(
            [os.path.join(args.build, "app/openresync"), "--config", config, "--data-dir", data_dir],
            env=env))

        def application():
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                app = desktop.getChildAtIndex(i)
                if app is not None and app.name in ("openresync", "OpenReSync"):
                    return app
            return None

        app = wait_for(application, timeout=30)
        if not check("the application is on the accessibility bus", app):
            return 1
        window = wait_for(lambda: find(app, lambda n: role(n) == "frame" and "OpenReSync" in (n.name or "")))
        check("a frame whose name contains OpenReSync", window, window.name if window else "")
        print("\n--- the application's tree ---")
        print_tree(app, args.tree_lines)
        print("---\n")

        def press(button):
            action = button.queryAction()
            names = [action.getName(i) for i in range(action.nActions)]
            return action.doAction(next((i for i, n in enumerate(names) if n.lower() in ("press", "click", "activate")), 0))

        if args.first_start:
            welcome = find(app, lambda n: role(n) == "label" and n.name == "Welcome to OpenReSync", only_showing=True)
            check("the welcome page shows (no configuration yet)", welcome)
            demo = find(app, lambda n: role(n) == "push button" and n.name == "Try with demo data", only_showing=True)
            check("a showing button named 'Try with demo data'", demo)
            check("press 'Try with demo data' through its Action interface", demo is not None and press(demo))
            written = wait_for(lambda: find(app, lambda n: role(n) in ("list item", "table cell") and n.name == "demo"),
                               timeout=60)
            check("the demo source appears in the navigation", written)
            check("the configuration file was written", os.path.exists(config), config)

        # The navigation entries.
        nav = find(app, lambda n: role(n) in ("list", "list box", "table", "tree table") and n.name == "Navigation")
        check("the navigation list (named Navigation)", nav, role(nav) if nav else "")
        entries = []
        if nav:
            entries = [n for _, n in walk(nav) if n is not nav and role(n) in ("list item", "table cell")]
            print("navigation entries:", [n.name for n in entries])
        for name in ("Dashboard", "Schedule", "Jobs", "Logs", args.source):
            check(f"navigation entry {name!r}", any(e.name == name for e in entries))

        # Selecting the source through the list's Selection interface (as a screen reader's
        # "select" does); the source page must become what is showing.
        # Selecting the source as a screen reader can: the list's Selection interface first, then
        # the entry's own actions; the source page must become what is showing.
        selected = False
        how = ""
        entry = next((e for e in entries if e.name == args.source), None)
        if nav and entry is not None:
            try:
                selection = nav.querySelection()
                selected = selection.selectChild(entry.getIndexInParent())
                how = f"Selection.selectChild({entry.getIndexInParent()}) -> {selected}"
            except NotImplementedError:
                how = "the list has no Selection interface"
            if not selected:
                try:
                    action = entry.queryAction()
                    names = [action.getName(i) for i in range(action.nActions)]
                    how += f"; the entry's actions: {names}"
                    for i, n in enumerate(names):
                        if n.lower() in ("toggle", "select", "press", "activate", "click"):
                            action.doAction(i)
                            how += f", did {n!r}"
                            break
                except NotImplementedError:
                    how += "; the entry has no Action interface"
            def source_shown():
                return find(app, lambda n: role(n) == "push button" and n.name == "Sync now", only_showing=True)
            selected = bool(wait_for(source_shown, timeout=5))
        check(f"select {args.source!r} in the navigation list (its page shows)", selected, how)
        if not selected:
            # The same page through the menu bar: View ▸ <source>.
            item = find(app, lambda n: role(n) == "menu item" and n.name == args.source)
            via_menu = ""
            if item is not None:
                action = item.queryAction()
                names = [action.getName(i) for i in range(action.nActions)]
                via_menu = f"menu item actions {names}"
                action.doAction(0)
            selected = bool(wait_for(
                lambda: find(app, lambda n: role(n) == "push button" and n.name == "Sync now", only_showing=True),
                timeout=5))
            check(f"open {args.source!r} through View ▸ {args.source} instead", selected, via_menu)

        sync = wait_for(lambda: find(app, lambda n: role(n) == "push button" and n.name == "Sync now",
                                     only_showing=True), timeout=10)
        check("a showing button named 'Sync now' (the source page is shown)", sync)
        pressed = False
        if sync:
            action = sync.queryAction()
            names = [action.getName(i) for i in range(action.nActions)]
            print("Sync now actions:", names)
            press = next((i for i, n in enumerate(names) if n.lower() in ("press", "click", "activate")), 0)
            pressed = action.doAction(press)
        check("press 'Sync now' through its Action interface", pressed)

        # The job runs; the Cancel button is enabled while it runs, and the page says how it ended.
        def finished():
            cancel = find(app, lambda n: role(n) == "push button" and n.name == "Cancel", only_showing=True)
            if cancel is None:
                return False
            return not cancel.getState().contains(pyatspi.STATE_ENABLED) and find(
                app, lambda n: role(n) == "label" and "finished" in (n.name or "").lower(), only_showing=True)
        outcome = wait_for(finished, timeout=180, interval=1.0)
        check("the sync ended (Cancel disabled, an outcome line)", outcome, outcome.name if outcome else "")

        for name in ("Resources", "History"):
            table = find(app, lambda n: n.name == name and role(n) in ("table", "tree table", "tree"))
            if not check(f"a table named {name!r}", table, role(table) if table else ""):
                continue
            try:
                rows, columns, header, body = table_text(table)
            except NotImplementedError:
                check(f"{name!r} has the Table interface", False)
                continue
            print_table(name, rows, columns, header, body)
            check(f"{name!r} has rows and columns through the Table interface", rows > 0 and columns > 0,
                  f"{rows}×{columns}")
            check(f"{name!r} cells have text", any(cell not in ("", "<no cell>") for row in body for cell in row))
            check(f"{name!r} column headers have text", all(header) and header)
        return 0 if all(ok for _, ok, _ in CHECKS) else 1
    finally:
        print("\nsummary:")
        for name, ok, detail in CHECKS:
            print(f"  {'ok    ' if ok else 'FAILED'} {name}{': ' + detail if detail else ''}")
        for proc in reversed(started):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
