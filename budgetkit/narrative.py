"""Numbers stated in the narrative (第三部分 情况说明) as structured claims with provenance.

The narrative restates the tables in sentences: ``预算收入总计12,347.07万元，其中：本年收入
12,270.45万元，上年结转76.62万元，比上年减少697.27万元，下降5.35%``. :func:`extract_claims`
turns every number of such sentences into a :class:`Claim` — what it is about (subject), what
kind of number it is (amount, share, change, count …), its exact value, unit, the sentence,
the 一、二、… section it stands under and its line — so that checks can hold each number
against the tables and against the other numbers of the same sentence.

:func:`implied_prior_year` derives, from each stated change, the prior-year value it implies
(current ∓ change) and recomputes the rate, keeping the provenance of the change.

Nothing here passes through ``float``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from budgetkit.amounts import UNIT_TO_YUAN, normalise_number_text
from budgetkit.model import Location, TextLine

# --------------------------------------------------------------------------- vocabulary

#: Claim kinds.
KINDS = ("amount", "share", "percent", "change_amount", "change_rate", "same_as_prior", "count", "quantity")

#: Direction words of a change, and whether they mean up (+1) or down (-1).
DIRECTION_SIGN: dict[str, int] = {
    "增加": 1,
    "增长": 1,
    "上升": 1,
    "提高": 1,
    "增": 1,
    "减少": -1,
    "下降": -1,
    "降低": -1,
    "减": -1,
    "持平": 0,
}

_MONEY_UNITS = ("亿元", "万元", "千元", "元")
_COUNT_UNITS = ("台（套）", "台(套)", "个", "人", "辆", "台", "套", "项", "名", "家", "户", "处", "次", "件", "所")
_QUANTITY_UNITS = ("平方米", "㎡", "亩", "公里")

# digits: ASCII or fullwidth; a thousands group is exactly three digits after a comma.
_D = "[0-9０-９]"
_NUM = rf"(?:{_D}{{1,3}}(?:[,，]{_D}{{3}})+|{_D}+)(?:[.．]{_D}+)?"
_UNIT = "|".join(
    re.escape(u)
    for u in sorted(_MONEY_UNITS + _COUNT_UNITS + _QUANTITY_UNITS + ("%", "％"), key=len, reverse=True)
)
_NUMBER_RE = re.compile(rf"(?<![0-9０-９.．A-Za-z])(?P<num>{_NUM})\s*(?P<unit>{_UNIT})")

_CHANGE_WORD_RE = re.compile(r"(?P<word>增加|增长|上升|提高|减少|下降|降低)了?\s*$")
_SHARE_RE = re.compile(r"占(?P<den>[^，,；;。：:]{0,30}?)(?:的|比重为|比例为|比重|比例)?\s*$")
_BASE_RE = re.compile(r"(?:比|较|与|同)(?P<base>上年|上一年|去年|\d{4}年)(?:度)?")
_SAME_RE = re.compile(
    r"(?:与|和|同|较|比)(?P<base>上年|上一年|去年|\d{4}年)(?:度)?(?:预算数?|预算)?(?:相比)?(?:预算数?)?"
    r"(?:相同|持平|一致|无变化|没有变化|不变)"
)
_OPENS_WITH_COMPARISON = re.compile(r"^\s*(?:[，,]\s*)?(?:比|较|与|同|和)(?:上年|上一年|去年|\d{4}年)")
_SECTION_RE = re.compile(r"^\s*(?P<num>[一二三四五六七八九十]+)\s*[、.．]\s*(?P<title>\S.*)$")
_SUBSECTION_RE = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十]+\s*[)）]|\d{1,2}\s*[、.．])\s*\S.*$")
_PART_RE = re.compile(r"^\s*第[一二三四五六七八九十]+部分")

#: Canonical subjects and the printed phrases that name them (longest phrase wins).
SUBJECT_ALIASES: dict[str, tuple[str, ...]] = {
    "预算收入总计": ("预算收入总计", "收入总计", "预算收入", "收入预算"),
    "预算支出总计": ("部门预算支出总计", "预算支出总计", "支出总计", "支出预算", "预算支出"),
    "财政拨款收支总预算": ("财政拨款收支总预算", "财政拨款收支预算总额", "财政拨款收支总计"),
    "本年收入": ("本年收入", "当年拨款收入", "本年收入合计"),
    "本年预算安排": ("本年预算安排",),
    "上年结转": ("上年结转收入", "上年结转"),
    "一般公共预算拨款收入": ("一般公共预算拨款收入", "一般公共预算收入"),
    "一般公共预算拨款": ("一般公共预算拨款",),
    "政府性基金预算拨款收入": ("政府性基金预算拨款收入", "政府性基金预算收入"),
    "政府性基金预算拨款": ("政府性基金预算拨款",),
    "国有资本经营预算拨款收入": ("国有资本经营预算拨款收入", "国有资本经营预算收入"),
    "国有资本经营预算拨款": ("国有资本经营预算拨款",),
    "财政专户管理资金收入": ("财政专户管理资金收入", "财政专户管理资金"),
    "单位资金": ("单位资金",),
    "一般公共预算当年支出": ("一般公共预算当年支出", "一般公共预算当年拨款", "一般公共预算支出"),
    "基本支出": ("基本支出",),
    "项目支出": ("项目支出",),
    "人员经费": ("人员经费",),
    "公用经费": ("公用经费",),
    "“三公”经费": ("“三公”经费", "\"三公\"经费", "三公经费"),
    "因公出国（境）费": ("因公出国（境）费", "因公出国(境)费", "因公出国（境）费用", "因公出国(境)费用"),
    "公务接待费": ("公务接待费",),
    "公务用车购置及运行费": ("公务用车购置及运行费", "公务用车购置及运行维护费"),
    "公务用车购置费": ("公务用车购置费",),
    "公务用车运行维护费": ("公务用车运行维护费", "公务用车运行费"),
    "机关运行经费": ("机关运行经费",),
    "政府采购预算总额": ("政府采购预算总额", "政府采购预算"),
    "政府采购货物预算": ("政府采购货物预算",),
    "政府采购工程预算": ("政府采购工程预算",),
    "政府采购服务预算": ("政府采购服务预算",),
    "会议费": ("会议费",),
    "培训费": ("培训费",),
}
#: Aliases that are also the generic tail of any budget line (``会议费预算支出``, ``基本支出预算数``,
#: ``政府性基金拨款支出预算``): they name the total only when nothing but neutral words precede them.
_GENERIC_ALIASES = {"预算支出", "支出预算", "预算收入", "收入预算"}
#: Aliases of single expense items that name the subject only as the head of the phrase (followed by
#: nothing but 预算/支出/…): ``从会议费预算中调减`` is not about 会议费 as a budget line.
_HEAD_ONLY_ALIASES = {"会议费", "培训费"}
_NEUTRAL_HEAD = re.compile(
    r"^(?:\d{4}\s*年(?:度)?|本年度|本年|年度|全年|当年|本部门|部门|本单位|单位|合计|共计|总计|安排的|安排|其中|的|[\s:：])*$"
)
_NEUTRAL_TAIL = re.compile(r"^(?:预算支出|支出预算|预算数|预算|支出|总额|金额|资金|数|合计|共计|为|是|[\s:：])*$")
_ALIAS_INDEX = sorted(
    ((alias, canon) for canon, aliases in SUBJECT_ALIASES.items() for alias in aliases),
    key=lambda pair: -len(pair[0]),
)
#: Function-class names (公共安全支出 …) are kept as printed: any phrase ending in 支出 that is
#: not one of the aliases above.

_SUBJECT_STRIP_PREFIX = re.compile(
    r"^(?:其中|主要包括|包括|主要用于以下方面|主要用于|用于|分别为|分别是|即|另|和|及|与|主要原因是|主要原因为|原因是|原因为|"
    r"本部门|本单位|共有|共计|合计|总计|[（(][^）)]{0,12}[）)]|其中[:：]?)+"
)
_GENERIC_PHRASES = {"金额", "涉及金额", "涉及项目金额", "共计金额", "涉及资金", "资金", "涉及预算资金", "项目金额", "预算金额"}
_DEPT_PREFIX = re.compile(
    r"^[^，,。；;]{2,30}?(?:局|委员会|委|办公室|办公厅|街道办事处|办事处|中心|院|厅|处|所|馆|站|队)(?=.{2,})"
)
_YEAR_PREFIX = re.compile(r"^(?:截至)?\d{4}\s*年(?:度)?(?:\d{1,2}月\d{1,2}日)?")


# --------------------------------------------------------------------------- data


@dataclass
class Claim:
    """One number the narrative states.

    Attributes:
        kind: ``amount`` (money), ``share`` (占…%), ``percent`` (another %), ``change_amount``
            (比上年减少697.27万元), ``change_rate`` (下降5.35%), ``same_as_prior`` (与上年预算数相同,
            value 0), ``count`` (16个, 6人, 81辆) or ``quantity`` (7440.14平方米).
        subject: Canonical subject (``"预算收入总计"``, ``"公共安全支出"``, ``"“三公”经费"`` …);
            for shares and changes, the subject of the amount they are about.
        value: The number as printed, exact (``Decimal("12347.07")``).
        unit: ``万元`` / ``元`` / ``%`` / ``个`` / ``人`` … as printed.
        sentence: The sentence (up to 。) the number stands in.
        section: The 一、二、… heading of the part it is under (``"二、收入预算情况说明"``).
        location: File and line.
        direction: For changes: the word as printed (增加/减少/下降/增长 …), ``持平`` for same_as_prior.
        phrase: The subject phrase as printed, before canonicalisation.
        text: The number with its unit as printed (``"12,347.07万元"``).
        subsection: The (一)/1、 heading under the section, if any.
        base: For changes: what it is compared with (``"上年"``, ``"2024年"``).
        denominator: For shares: the whole named after 占 (``"部门（单位）项目支出总额"``), if printed.
        current_value: For shares and changes: the amount they are about (same unit family).
        current_unit: Unit of ``current_value``.
        current_text: ``current_value`` as printed.
        attached: How the subject was found: ``own`` (phrase before the number), ``nearest``
            (the last amount before it), ``head`` (the total before a 其中 list).
        index: Position of the claim in the output of :func:`extract_claims`.
        start: Character offset of the number in the line.
    """

    kind: str
    subject: str
    value: Decimal
    unit: str
    sentence: str
    section: str | None
    location: Location
    direction: str | None = None
    phrase: str = ""
    text: str = ""
    subsection: str | None = None
    base: str | None = None
    denominator: str | None = None
    current_value: Decimal | None = None
    current_unit: str | None = None
    current_text: str | None = None
    attached: str = "own"
    index: int = -1
    start: int = 0

    @property
    def line(self) -> int | None:
        return self.location.line

    @property
    def value_yuan(self) -> Decimal | None:
        """The value in 元 for money units, else ``None``."""
        if self.unit in UNIT_TO_YUAN:
            return self.value * UNIT_TO_YUAN[self.unit]
        return None

    @property
    def sign(self) -> int | None:
        """+1 for an increase, -1 for a decrease, 0 for unchanged, ``None`` for non-changes."""
        if self.direction is None:
            return None
        return DIRECTION_SIGN.get(self.direction)


@dataclass
class PriorYearValue:
    """The prior-year value a stated change implies.

    Attributes:
        subject: The subject of the change.
        unit: Unit of all amounts here (the unit of the current amount).
        current_value: The current-year amount the change is about.
        change_value: The change as printed, unsigned (``697.27``).
        direction: The direction word as printed (``减少``), ``持平`` for same_as_prior.
        prior_value: ``current - change`` for an increase, ``current + change`` for a decrease.
        stated_rate_pct: The rate printed next to the change (``5.35``), if any.
        recomputed_rate_pct: ``change / prior × 100``, exact (not rounded); ``None`` if prior is 0.
        rate_on_current_pct: ``change / current × 100`` — a rate printed on the wrong base shows here.
        rate_decimals: Decimals the stated rate is printed with (to round ``recomputed_rate_pct``).
        base: What the change is compared with (``上年``, ``2024年``).
        sentence: The sentence of the change.
        section: Section heading.
        location: Line of the change (``change_location``) — the current amount may stand earlier.
        change_index: Index of the change claim; ``rate_index`` of the rate claim; ``current_index`` of
            the amount claim.
    """

    subject: str
    unit: str | None
    current_value: Decimal
    change_value: Decimal
    direction: str
    prior_value: Decimal
    stated_rate_pct: Decimal | None
    recomputed_rate_pct: Decimal | None
    rate_on_current_pct: Decimal | None
    rate_decimals: int | None
    base: str | None
    sentence: str
    section: str | None
    location: Location
    change_index: int
    rate_index: int | None = None
    current_index: int | None = None

    @property
    def recomputed_rate_rounded_pct(self) -> Decimal | None:
        """``recomputed_rate_pct`` rounded half-up to the printed decimals of the stated rate."""
        if self.recomputed_rate_pct is None or self.rate_decimals is None:
            return None
        return _round(self.recomputed_rate_pct, self.rate_decimals)


# --------------------------------------------------------------------------- helpers


def parse_number(text: str) -> Decimal | None:
    """Parse a number as printed in prose (``12,347.07``, ``１２３``) exactly; ``None`` if not one.

    Examples:
        >>> parse_number("12,347.07")
        Decimal('12347.07')
    """
    candidate = normalise_number_text(text)
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", candidate):
        return None
    try:
        return Decimal(candidate)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None


def _round(value: Decimal, decimals: int) -> Decimal:
    from decimal import ROUND_HALF_UP

    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _decimals(text: str) -> int:
    folded = normalise_number_text(text)
    return len(folded.split(".", 1)[1]) if "." in folded else 0


def _norm_unit(unit: str) -> str:
    unit = unicodedata.normalize("NFKC", unit)
    return {"台(套)": "台（套）", "㎡": "平方米"}.get(unit, unit)


def canonical_subject(phrase: str) -> str:
    """Map a printed subject phrase to its canonical subject (longest alias found), else the phrase.

    Examples:
        >>> canonical_subject("所属行政单位机关运行经费财政拨款预算")
        '机关运行经费'
        >>> canonical_subject("公共安全支出")
        '公共安全支出'
    """
    folded = phrase.replace('"', "“").replace("”", "“").replace("‘", "“").replace("’", "“")
    folded_q = re.sub(r"“([^“]*)“", r"“\1”", folded)
    # The head of a noun phrase is after its last 的: 一般公共预算拨款安排的会议费预算支出 is about
    # 会议费, 事业单位财政拨款的机关运行经费预算 about 机关运行经费. A tail of neutral words only
    # (“三公”经费的, …的预算数) leaves the head before the 的.
    texts = []
    for text in (folded_q, phrase):
        head, sep, tail = text.rpartition("的")
        if sep and tail and not _NEUTRAL_TAIL.match(tail):
            text = tail
        elif sep and head:
            text = head
        texts.append(text)
    for alias, canon in _ALIAS_INDEX:
        for text in texts:
            at = text.find(alias)
            if at < 0:
                continue
            if alias in _GENERIC_ALIASES and not _NEUTRAL_HEAD.match(text[:at]):
                continue  # 基本支出预算数, 政府性基金拨款支出预算: 预算支出 is the tail of another line
            if alias in _HEAD_ONLY_ALIASES and not _NEUTRAL_TAIL.match(text[at + len(alias):]):
                continue
            # a function class like 公共安全支出 contains 支出 but none of the aliases
            return canon
    return phrase


def _clean_phrase(raw: str, department: str | None) -> str:
    phrase = raw.strip().strip("，,；;：:、。 \t")
    for _ in range(4):
        before = phrase
        phrase = _YEAR_PREFIX.sub("", phrase)
        if department and phrase.startswith(department):
            phrase = phrase[len(department) :]
        # Drop a leading department-like name (…局/…委员会/…办公室/…街道办事处) before the subject.
        match = _DEPT_PREFIX.match(phrase)
        if match and canonical_subject(match.group(0)) == match.group(0):
            phrase = phrase[match.end() :]
        phrase = _SUBJECT_STRIP_PREFIX.sub("", phrase).strip("：: ")
        if phrase == before:
            break
    phrase = re.sub(r"(约|共计|合计|总计|为|达|计|共|是)$", "", phrase)
    phrase = re.sub(r"(约|共计|合计|总计|为|达|计|共|是)$", "", phrase)
    return phrase.strip()


def _sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences (ending with 。 or end of text)."""
    spans = []
    start = 0
    for match in re.finditer(r"[。！？!?]", text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _clause_start(text: str, pos: int, floor: int) -> int:
    """Start of the clause (after the last ，,；;：:、) before ``pos``."""
    best = floor
    for sep in "，,；;：:、":
        idx = text.rfind(sep, floor, pos)
        if idx + 1 > best:
            best = idx + 1
    return best


def _segment_start(text: str, pos: int, floor: int) -> int:
    """Start of the ；-segment containing ``pos``."""
    best = floor
    for sep in "；;":
        idx = text.rfind(sep, floor, pos)
        if idx + 1 > best:
            best = idx + 1
    return best


def _is_heading(text: str) -> bool:
    stripped = text.strip()
    if not stripped or len(stripped) > 40:
        return False
    if _NUMBER_RE.search(stripped) and not re.match(r"^\s*\d{1,2}\s*[、.．]", stripped):
        return False
    return bool(_SECTION_RE.match(stripped) or _SUBSECTION_RE.match(stripped))


# --------------------------------------------------------------------------- extraction


def extract_claims(lines: list[TextLine], department: str | None = None) -> list[Claim]:
    """Extract every number the narrative states, with subject, kind, section and line.

    Args:
        lines: The narrative lines (``Document.narrative``), in order, with their locations.
            Tabs inside a line (PDF cell breaks) are ignored.
        department: The department name as printed (``"沁水县公安局"``), stripped from subjects.
            Optional: a name ending in 局/委员会/办公室/… before the subject is dropped anyway.

    Returns:
        The claims in reading order; ``claim.index`` is the position in this list. Never raises
        on odd text: what cannot be read is skipped.
    """
    claims: list[Claim] = []
    section: str | None = None
    subsection: str | None = None
    for line in lines:
        text = (line.text or "").replace("\t", "")
        stripped = text.strip()
        if not stripped:
            continue
        if _PART_RE.match(stripped):
            section, subsection = None, None
            continue
        if _is_heading(stripped):
            if _SECTION_RE.match(stripped):
                section, subsection = stripped, None
            else:
                subsection = stripped
            continue
        carry: Claim | None = None
        for s_start, s_end in _sentences(text):
            found = _claims_in_sentence(text, s_start, s_end, line.location, section, subsection, department, len(claims),
                                        carry)
            claims.extend(found)
            amounts = [c for c in found if c.kind == "amount"]
            carry = amounts[-1] if amounts else None
    for i, claim in enumerate(claims):
        claim.index = i
    return claims


def _claims_in_sentence(
    text: str,
    s_start: int,
    s_end: int,
    location: Location,
    section: str | None,
    subsection: str | None,
    department: str | None,
    offset: int,
    carry: Claim | None = None,
) -> list[Claim]:
    sentence = text[s_start:s_end].strip()
    # “（三）公务接待费1.35万元。比2024年预算持平”: a sentence that opens with the comparison has no
    # subject of its own — it is about the last amount of the sentence before, in the same paragraph.
    if carry is not None and not _OPENS_WITH_COMPARISON.match(sentence):
        carry = None
    out: list[Claim] = []
    # The amounts seen in the current ；-segment, for attaching shares and changes.
    seg_start = -1
    seg_amounts: list[Claim] = []
    head: Claim | None = None  # the amount before a 其中 in the current segment
    parts_after_head = 0
    last_change: Claim | None = None

    events: list[tuple[int, str, re.Match[str]]] = [(m.start(), "num", m) for m in _NUMBER_RE.finditer(text, s_start, s_end)]
    events += [(m.start(), "same", m) for m in _SAME_RE.finditer(text, s_start, s_end)]
    events.sort(key=lambda e: e[0])
    prev_end = s_start

    for pos, what, match in events:
        segment = _segment_start(text, pos, s_start)
        if segment != seg_start:
            seg_start, seg_amounts, head, parts_after_head, last_change = segment, [], None, 0, None
            if carry is not None and segment == s_start:
                seg_amounts = [carry]
        if what == "same":
            target = seg_amounts[-1] if seg_amounts else None
            out.append(
                Claim(
                    kind="same_as_prior",
                    subject=target.subject if target else "",
                    value=Decimal(0),
                    unit=target.unit if target else "",
                    sentence=sentence,
                    section=section,
                    location=location,
                    direction="持平",
                    phrase=target.phrase if target else "",
                    text=match.group(0),
                    subsection=subsection,
                    base=match.group("base"),
                    current_value=target.value if target else None,
                    current_unit=target.unit if target else None,
                    current_text=target.text if target else None,
                    attached="nearest" if target else "none",
                    start=pos,
                )
            )
            continue

        value = parse_number(match.group("num"))
        if value is None:
            continue
        prev_end_here = prev_end
        prev_end = match.end()
        unit = _norm_unit(match.group("unit"))
        printed = match.group(0)
        clause_from = max(_clause_start(text, pos, seg_start), prev_end_here)
        before = text[clause_from:pos]
        change = _CHANGE_WORD_RE.search(before)
        share = _SHARE_RE.search(before) if unit == "%" else None
        # 其中 opens a list of parts of the amount before it.
        if head is None and seg_amounts and "其中" in text[seg_amounts[-1].start : pos]:
            head = seg_amounts[-1]
            parts_after_head = 0

        base_match = None
        if change:
            base_match = None
            for bm in _BASE_RE.finditer(text, seg_start, pos):
                base_match = bm

        claim = Claim(
            kind="amount",
            subject="",
            value=value,
            unit=unit,
            sentence=sentence,
            section=section,
            location=location,
            text=printed,
            subsection=subsection,
            start=pos,
        )
        if change:
            claim.direction = change.group("word")
            claim.base = base_match.group("base") if base_match else None
            if unit == "%":
                claim.kind = "change_rate"
                target = last_change or _change_target(seg_amounts, head, parts_after_head)
            else:
                claim.kind = "change_amount"
                target = _change_target(seg_amounts, head, parts_after_head)
            # “…增加200万元” after its own noun phrase (人代会专项经费增加200万元) is about that phrase,
            # not about the amount before it: attached only when the phrase names the same subject.
            own = _own_change_phrase(text[clause_from : clause_from + change.start()], department)
            if own and _ITEM_NOUN.search(own) and target is not None and canonical_subject(own) != target.subject \
                    and not (claim.kind == "change_rate" and last_change is not None):
                target, last_change = None, None
            if claim.kind == "change_rate" and last_change is not None:
                claim.subject, claim.phrase = last_change.subject, last_change.phrase
                claim.current_value, claim.current_unit = last_change.current_value, last_change.current_unit
                claim.current_text = last_change.current_text
                claim.attached = last_change.attached
                claim.base = claim.base or last_change.base
            elif target is not None:
                claim.subject, claim.phrase = target.subject, target.phrase
                claim.current_value, claim.current_unit, claim.current_text = target.value, target.unit, target.text
                claim.attached = "head" if target is head and head is not None and parts_after_head >= 2 else "nearest"
            else:
                phrase = _clean_phrase(text[clause_from : change.start() + clause_from], department)
                claim.phrase, claim.subject, claim.attached = phrase, canonical_subject(phrase), "own"
            if claim.kind == "change_amount":
                last_change = claim
        elif unit == "%":
            target = seg_amounts[-1] if seg_amounts else None
            claim.kind = "share" if share else "percent"
            if share:
                den = share.group("den").strip()
                claim.denominator = den or None
            if target is not None and (share or True):
                claim.subject, claim.phrase = target.subject, target.phrase
                claim.current_value, claim.current_unit, claim.current_text = target.value, target.unit, target.text
                claim.attached = "nearest"
            if not share:
                phrase = _clean_phrase(before, department)
                if phrase:
                    claim.phrase, claim.subject, claim.attached = phrase, canonical_subject(phrase), "own"
        else:
            if unit in UNIT_TO_YUAN:
                claim.kind = "amount"
            elif unit in _QUANTITY_UNITS or unit == "平方米":
                claim.kind = "quantity"
            else:
                claim.kind = "count"
            phrase = _clean_phrase(before, department)
            if not phrase and claim.kind == "count":
                # "其中0个单位（包括机关）": the noun follows the count.
                after = re.match(r"([^\s，,；;。：:（(]{1,12})", text[match.end() : s_end])
                phrase = after.group(1) if after else ""
            claim.phrase = phrase
            claim.subject = canonical_subject(phrase) if phrase else ""
            previous = [c for c in out if c.kind in ("count", "amount")]
            if claim.kind == "amount" and (not phrase or phrase in _GENERIC_PHRASES) and previous:
                # "其他运转类项目3个，涉及金额3,409.55万元": the amount is about the last subject.
                claim.subject = previous[-1].subject
                claim.attached = "nearest"
            if claim.kind == "amount":
                seg_amounts.append(claim)
                last_change = None
                if head is not None and claim is not head:
                    parts_after_head += 1
        out.append(claim)
    return out


_COMPARISON_WORDS = re.compile(
    r"(?:比|较|与|同|和)?\s*(?:上年|上一年|去年|\d{4}\s*年)(?:度)?(?:年初)?(?:预算)?(?:执行数|数)?(?:相比|比较)?(?:预算数?)?|同比|相比|"
    r"本年数?|分别|各|共|均|主要是|其中|^[，,、\s]+"
)


#: A change clause's own phrase names another budget line when it ends like one (人代会专项经费,
#: 信息化建设经费); 增减相抵后 or a fragment of the same total (收、支预算总计各) does not.
_ITEM_NOUN = re.compile(r"(?:经费|费|资金|专项|项目)$")


def _own_change_phrase(raw: str, department: str | None) -> str:
    """The noun phrase of a change clause once the comparison (比2024年预算, 与上年相比 …) is removed."""
    phrase = _COMPARISON_WORDS.sub("", raw)
    phrase = _clean_phrase(phrase, department)
    return phrase if re.search(r"[\u4e00-\u9fff]", phrase) else ""


def _change_target(seg_amounts: list[Claim], head: Claim | None, parts_after_head: int) -> Claim | None:
    """The amount a change is about: the head of a 其中 list of two or more parts, else the last amount."""
    if head is not None and parts_after_head >= 2:
        return head
    return seg_amounts[-1] if seg_amounts else None


# --------------------------------------------------------------------------- derived


def implied_prior_year(claims: list[Claim]) -> list[PriorYearValue]:
    """The prior-year value each stated change implies, with the recomputed rate.

    For every ``change_amount`` claim with a current amount: prior = current − change for an
    increase, current + change for a decrease; the rate printed right after it (a
    ``change_rate`` claim on the same subject in the same sentence) is kept beside the rate
    recomputed on the prior (``recomputed_rate_pct``) and on the current value
    (``rate_on_current_pct``, which shows a rate printed on the wrong base). Every
    ``same_as_prior`` claim with a current amount implies prior = current.

    A rate printed without an amount (``下降5.35%`` alone) implies no prior and is skipped.

    Args:
        claims: Output of :func:`extract_claims`.

    Returns:
        One :class:`PriorYearValue` per change, in order.
    """
    out: list[PriorYearValue] = []
    for i, claim in enumerate(claims):
        if claim.current_value is None:
            continue
        if claim.kind == "same_as_prior":
            out.append(
                PriorYearValue(
                    subject=claim.subject,
                    unit=claim.current_unit,
                    current_value=claim.current_value,
                    change_value=Decimal(0),
                    direction="持平",
                    prior_value=claim.current_value,
                    stated_rate_pct=None,
                    recomputed_rate_pct=Decimal(0) if claim.current_value else None,
                    rate_on_current_pct=Decimal(0) if claim.current_value else None,
                    rate_decimals=None,
                    base=claim.base,
                    sentence=claim.sentence,
                    section=claim.section,
                    location=claim.location,
                    change_index=claim.index if claim.index >= 0 else i,
                    current_index=_index_of_current(claims, claim),
                )
            )
            continue
        if claim.kind != "change_amount":
            continue
        sign = claim.sign or 0
        change = _convert(claim.value, claim.unit, claim.current_unit)
        if change is None:
            continue
        prior = claim.current_value - sign * change
        rate_claim = None
        for later in claims[i + 1 : i + 4]:
            if later.kind == "change_rate" and later.sentence == claim.sentence and later.subject == claim.subject:
                rate_claim = later
                break
            if later.kind in ("change_amount", "amount") and later.sentence == claim.sentence:
                break
        recomputed = (change / prior * 100) if prior else None
        on_current = (change / claim.current_value * 100) if claim.current_value else None
        out.append(
            PriorYearValue(
                subject=claim.subject,
                unit=claim.current_unit,
                current_value=claim.current_value,
                change_value=change,
                direction=claim.direction or "",
                prior_value=prior,
                stated_rate_pct=rate_claim.value if rate_claim else None,
                recomputed_rate_pct=recomputed,
                rate_on_current_pct=on_current,
                rate_decimals=_decimals(rate_claim.text.rstrip("%％")) if rate_claim else None,
                base=claim.base,
                sentence=claim.sentence,
                section=claim.section,
                location=claim.location,
                change_index=claim.index if claim.index >= 0 else i,
                rate_index=rate_claim.index if rate_claim else None,
                current_index=_index_of_current(claims, claim),
            )
        )
    return out


def _convert(value: Decimal, unit: str, to_unit: str | None) -> Decimal | None:
    if to_unit is None or unit == to_unit:
        return value
    if unit in UNIT_TO_YUAN and to_unit in UNIT_TO_YUAN:
        return value * UNIT_TO_YUAN[unit] / UNIT_TO_YUAN[to_unit]
    return None


def _index_of_current(claims: list[Claim], claim: Claim) -> int | None:
    for other in reversed(claims[: max(claim.index, 0)]):
        if (
            other.kind == "amount"
            and other.sentence == claim.sentence
            and other.value == claim.current_value
            and other.text == claim.current_text
        ):
            return other.index
    return None


# --------------------------------------------------------------------------- frames


def claims_frame(claims: list[Claim]):
    """The claims as a pandas DataFrame, one row a claim (values stay Decimal; ``line`` column)."""
    import pandas as pd

    rows = []
    for claim in claims:
        row = asdict(claim)
        loc = row.pop("location")
        row["file"], row["page"], row["line"] = loc["file"], loc["page"], loc["line"]
        rows.append(row)
    columns = [f.name for f in Claim.__dataclass_fields__.values() if f.name != "location"] + ["file", "page", "line"]
    return pd.DataFrame(rows, columns=columns)


def prior_year_frame(values: list[PriorYearValue]):
    """The implied prior-year values as a pandas DataFrame (``line`` column for provenance)."""
    import pandas as pd

    rows = []
    for value in values:
        row = asdict(value)
        loc = row.pop("location")
        row["recomputed_rate_rounded_pct"] = value.recomputed_rate_rounded_pct
        row["file"], row["page"], row["line"] = loc["file"], loc["page"], loc["line"]
        rows.append(row)
    return pd.DataFrame(rows)


__all__ = [
    "Claim",
    "PriorYearValue",
    "canonical_subject",
    "claims_frame",
    "extract_claims",
    "implied_prior_year",
    "parse_number",
    "prior_year_frame",
]

_ = field  # keep the import for dataclass users extending Claim
