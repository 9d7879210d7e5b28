"""Repeated content: a page printed twice, a text dump pasted many times, a block copied.

A reader joins a table's pieces in printed order, so a page printed twice puts its rows in the
table twice (every total still "matches" its now doubled parts, and the cross-table checks
blame the publisher), and a dump repeated 200 times is one table of 200 copies. Both are the
file's fault, not the budget's: :func:`drop_repeats` keeps the first copy of each repeated
stretch, drops the others and says what it dropped; the checks report it as a finding about
the document (rule ``within.repeated_content``).

What counts as a repeat: a stretch that starts where a page (PDF) or a block of consecutive
lines (text dump) starts, ends where one ends, and is identical, cell for cell, to the stretch
just before it. Two equal rows in the middle of a table are not a repeat; a whole page of rows
equal to the page before it is. Whole 绩效目标表 blocks identical to an earlier one are dropped
too.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from budgetkit.model import Document, Location, TextBlock

#: How far back (in stretches) a repeat is looked for: a copy follows its original closely.
LOOK_BACK = 256


def drop_repeats(document: Document) -> list[str]:
    """Remove repeated pages, tables, rows and blocks from ``document`` in place.

    Args:
        document: A document as read (any reader).

    Returns:
        One sentence per repeat dropped (also appended to ``document.repeats``).
    """
    notes: list[str] = []
    pages_before = _table_pages(document)
    for table in document.tables.values():
        keys = [tuple(str(c).strip() for c in row) for row in table.body_rows]
        keep = _kept(keys, table.body_locations)
        if len(keep) < len(keys):
            dropped = [table.body_locations[i] for i in range(len(keys)) if i not in keep]
            notes.append(
                f"{table.title} ({table.table_id}): {len(keys) - len(keep)} repeated row(s) dropped, "
                f"a copy of rows printed before ({_where(dropped)})"
            )
            table.body_rows = [table.body_rows[i] for i in sorted(keep)]
            table.body_locations = [table.body_locations[i] for i in sorted(keep)]
    keys = [line.text.strip() for line in document.narrative]
    keep = _kept(keys, [line.location for line in document.narrative], worth=lambda block: sum(map(len, block)) >= 20)
    if len(keep) < len(keys):
        dropped = [document.narrative[i].location for i in range(len(keys)) if i not in keep]
        notes.append(f"情况说明: {len(keys) - len(keep)} repeated line(s) dropped ({_where(dropped)})")
        document.narrative = [document.narrative[i] for i in sorted(keep)]
    for name in ("performance_blocks", "other_blocks"):
        blocks: list[TextBlock] = getattr(document, name)
        seen: set[tuple] = set()
        kept_blocks = []
        dropped_blocks: list[TextBlock] = []
        for block in blocks:
            key = (block.kind, block.title, tuple(line.text.strip() for line in block.lines))
            if key in seen and block.lines:
                dropped_blocks.append(block)
                continue
            seen.add(key)
            kept_blocks.append(block)
        if dropped_blocks:
            label = "绩效目标表" if name == "performance_blocks" else "other tabular"
            notes.append(f"{label}: {len(dropped_blocks)} repeated block(s) dropped "
                         f"({_where([b.location for b in dropped_blocks])})")
        setattr(document, name, kept_blocks)
    # A page whose table rows all went is a copy: its printed amounts and table areas go too,
    # or the reading measure would count them as amounts not read.
    gone = pages_before - _table_pages(document)
    if gone:
        document.printed_amounts = [a for a in document.printed_amounts if (a.file, a.page) not in gone]
        for table in document.tables.values():
            table.regions = [r for r in table.regions if (table.file, r.page) not in gone]
    document.repeats.extend(notes)
    return notes


def _table_pages(document: Document) -> set[tuple[str, int]]:
    """The (file, page) pairs that hold table rows (PDF documents)."""
    return {(loc.file, loc.page) for t in document.tables.values() for loc in t.body_locations if loc.page is not None}


def _kept(keys: Sequence[Any], locations: Sequence[Location], worth: Callable[[Sequence[Any]], bool] = lambda block: True) -> set[int]:
    """Indices of ``keys`` to keep: every stretch equal to the stretch just before it goes."""
    starts = _starts(locations)
    boundaries = set(starts) | {len(keys)}
    drop: set[int] = set()
    for position, start in enumerate(starts):
        if start in drop:
            continue
        for before in reversed(starts[max(0, position - LOOK_BACK):position]):
            length = start - before
            end = start + length
            if end in boundaries and list(keys[before:start]) == list(keys[start:end]) and worth(keys[before:start]):
                drop.update(range(start, end))
                # Further copies right after compare with this one (equal content): same length.
                while end + length in boundaries and list(keys[end:end + length]) == list(keys[before:start]):
                    drop.update(range(end, end + length))
                    end += length
                break
    return set(range(len(keys))) - drop


def _starts(locations: Sequence[Location]) -> list[int]:
    """Where stretches start: a new file or page (PDF), or a gap in line numbers (text dump)."""
    starts = []
    previous: Location | None = None
    for index, location in enumerate(locations):
        if previous is None or location.file != previous.file or location.page != previous.page:
            starts.append(index)
        elif location.line is not None and previous.line is not None and location.line != previous.line + 1:
            starts.append(index)
        previous = location
    return starts


def _where(locations: list[Location]) -> str:
    first, last = locations[0], locations[-1]
    return str(first) if first == last else f"{first} … {last}"
