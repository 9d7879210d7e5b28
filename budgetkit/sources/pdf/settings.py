"""Tolerances of the PDF reader, named and in one place (PDF points unless said otherwise).

Every geometric decision of the reader — is this path a ruling line, do two rules meet, which
cell does a glyph fall in, is a gap between glyphs a word break — reads its tolerance from one
:class:`ReaderSettings`. The defaults were measured on the bundled and the real corpus
(``benchmarks/bench_wild.py``); change them there, not in the code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReaderSettings:
    """Named tolerances of the PDF reader.

    Attributes:
        rule_max_thickness: A filled rectangle thinner than this is a ruling line.
        rule_min_length: Shorter straight segments (tick marks, underlines of one glyph) are ignored.
        rule_snap: Parallel rules closer than this are one rule (a border drawn twice, a double line).
        rule_join: Collinear rules with a gap shorter than this are one rule.
        rule_touch: A horizontal and a vertical rule closer than this meet (one table).
        border_coverage: Share of a cell edge a rule must cover to count as a border (merged cells
            have none).
        background_max_share: A filled rectangle covering more of the page than this share is a
            background, not a rule.
        line_overlap: Two glyphs share a text line when their vertical extents overlap this much
            (share of the smaller height).
        word_gap_em: A horizontal gap wider than this many glyph heights breaks a word.
        min_table_rules: A ruled area needs at least this many horizontal and vertical rules.
        column_edge: Cell left edges closer than this start one column.
        continuation_column_shift: A column of a table's next page stands where it stood on
            the first page within this many points (or a third of the narrowest column).
        repeated_header_share: A piece of table whose header words are this share of the
            table's header words repeats that header (a continuation).
        other_header_share: …and below this share (with other columns) it is another table.
    """

    rule_max_thickness: float = 2.5
    rule_min_length: float = 4.0
    rule_snap: float = 1.6
    rule_join: float = 2.5
    rule_touch: float = 2.5
    border_coverage: float = 0.6
    background_max_share: float = 0.5
    line_overlap: float = 0.5
    word_gap_em: float = 0.6
    min_table_rules: int = 2
    column_edge: float = 3.0
    continuation_column_shift: float = 6.0
    repeated_header_share: float = 0.8
    other_header_share: float = 0.5


DEFAULT_SETTINGS = ReaderSettings()
