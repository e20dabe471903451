#!/usr/bin/python3
"""The accessibility tree of an application's page, as a screen reader reads it: libatspi (what
Orca uses) on the session's accessibility bus. Prints one JSON object per node of the first
`document web` under application argv[1], breadth first: role, name, whether it is focused and
showing, its depth and its ancestors' indexes. Exits 3 when there is no such page yet."""

import json
import sys
from collections import deque

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

# A page is a few hundred objects; this bounds a runaway tree.
MOST = 5000


def children(node):
    try:
        count = min(node.get_child_count(), 1000)
    except Exception:
        return []
    found = []
    for index in range(count):
        try:
            child = node.get_child_at_index(index)
        except Exception:
            child = None
        if child is not None:
            found.append(child)
    return found


def document(app):
    queue = deque([(app, 0)])
    while queue:
        node, depth = queue.popleft()
        try:
            if node.get_role_name() == "document web":
                return node
        except Exception:
            continue
        if depth < 10:
            queue.extend((child, depth + 1) for child in children(node))
    return None


def main():
    wanted = sys.argv[1]
    desktop = Atspi.get_desktop(0)
    page = None
    for app in children(desktop):
        try:
            if app.get_name() == wanted:
                page = document(app)
        except Exception:
            continue
        if page is not None:
            break
    if page is None:
        sys.exit(3)
    queue = deque([(page, [])])
    index = 0
    while queue and index < MOST:
        node, ancestors = queue.popleft()
        try:
            states = node.get_state_set()
            row = {
                "role": node.get_role_name(),
                "name": node.get_name() or "",
                "focused": states.contains(Atspi.StateType.FOCUSED),
                "showing": states.contains(Atspi.StateType.SHOWING),
                "ancestors": ancestors,
            }
        except Exception:
            continue
        print(json.dumps(row))
        queue.extend((child, ancestors + [index]) for child in children(node))
        index += 1


main()
