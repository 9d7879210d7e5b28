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
from budgetkit.vocabulary import narrative_vocabulary

# --------------------------------------------------------------------------- vocabulary

#: Claim kinds.
KINDS = ("amount", "share", "percent", "change_amount", "change_rate", "completion_rate", "same_as_prior", "count", "quantity")

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
#: A rate printed right after a stated change, with no change word of its own: the change's rate
#: (较上年减少 51.42 万元（75.65%）; 减少 33.76 万元，降幅 52.06%; 减少 0.15 万元，下降（增长）27.78%).
_RATE_OF_CHANGE_RE = re.compile(
    r"\s*(?:[（(]|[，,]?\s*(?:增幅|降幅|增减幅度|变动幅度|增长率|下降率|增减率|下降（增长）|增长（下降）|增长（减少）|减少（增长）)\s*(?:为|达)?)\s*")
#: Which directions a rate word allows (a bracket or a two-way word: the change's own).
_RATE_WORD_DIRECTIONS = {"增幅": ("增加", "增长", "上升", "提高"), "降幅": ("减少", "下降", "降低")}
_SHARE_RE = re.compile(r"占(?P<den>[^，,；;。：:]{0,30}?)(?:的|比重为|比例为|比重|比例|比为|比)?\s*$")
_BASE_RE = re.compile(r"(?:比|较|与|同)\s*(?P<base>上年|上一年|去年|\d{4}\s*年|年初预算|预算数|预算)(?:度)?")
_SAME_RE = re.compile(
    r"(?:与|和|同|较|比)\s*(?P<base>上年|上一年|去年|\d{4}\s*年|年初预算数?|预算数)(?:度)?"
    r"(?:预算执行数|执行数|决算数|预算数?|预算)?(?:相比)?(?:预算数?)?(?:相同|持平|一致|无变化|没有变化|不变)"
)
_OPENS_WITH_COMPARISON = re.compile(r"^\s*(?:[，,]\s*)?(?:比|较|与|同|和)\s*(?:上年|上一年|去年|\d{4}\s*年)")
_SECTION_RE = re.compile(r"^\s*(?P<num>[一二三四五六七八九十]+)\s*[、.．]\s*(?P<title>\S.*)$")
_SUBSECTION_RE = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十]+\s*[)）]|\d{1,2}\s*[、.．])\s*\S.*$")
_PART_RE = re.compile(r"^\s*第[一二三四五六七八九十]+部分")

#: Canonical subjects and the printed phrases that name them (longest phrase wins).
SUBJECT_ALIASES: dict[str, tuple[str, ...]] = {
    "预算收入总计": ("预算收入总计", "收入总计", "预算收入", "收入预算", "收支总预算", "收支预算总计", "收支预算", "收、支总计", "收支总计",
               "收、支预算总计"),
    "预算支出总计": ("部门预算支出总计", "预算支出总计", "支出总计", "支出预算", "预算支出", "相应安排支出预算"),
    "财政拨款收支总预算": ("财政拨款收支总预算", "财政拨款收支预算总额", "财政拨款收支总计", "财政拨款收、支总预算", "财政拨款收、支总计"),
    "本年收入": ("本年收入", "当年拨款收入", "本年收入合计"),
    "本年预算安排": ("本年预算安排",),
    "财政拨款收入": ("财政拨款收入",),
    "事业收入": ("事业收入",),
    "事业单位经营收入": ("事业单位经营收入",),
    "其他收入": ("其他收入",),
    "上级补助收入": ("上级补助收入",),
    "附属单位上缴收入": ("附属单位上缴收入",),
    "本年支出合计": ("本年支出合计", "本年支出"),
    "财政拨款支出": ("财政拨款支出预算", "财政拨款支出", "财政拨款预算支出"),
    "政府性基金预算支出": ("政府性基金拨款支出", "政府性基金预算拨款支出", "政府性基金预算支出", "政府性基金支出"),
    "国有资本经营预算支出": ("国有资本经营预算拨款支出", "国有资本经营拨款支出", "国有资本经营预算支出"),
    "上年结转": ("上年结转收入", "上年结转", "上年结转结余", "上年结转结余收入"),
    "一般公共预算拨款收入": ("一般公共预算拨款收入", "一般公共预算收入", "一般公共预算当年拨款收入"),
    "一般公共预算拨款": ("一般公共预算拨款",),
    "政府性基金预算拨款收入": ("政府性基金预算拨款收入", "政府性基金预算收入", "政府性基金当年拨款收入", "政府性基金收入",
                       "政府性基金预算财政拨款收入"),
    "政府性基金预算拨款": ("政府性基金预算拨款",),
    "国有资本经营预算拨款收入": ("国有资本经营预算拨款收入", "国有资本经营预算收入"),
    "国有资本经营预算拨款": ("国有资本经营预算拨款",),
    "财政专户管理资金收入": ("财政专户管理资金收入", "财政专户管理资金"),
    "单位资金": ("单位资金",),
    "一般公共预算当年支出": ("一般公共预算当年支出", "一般公共预算当年拨款", "一般公共预算支出", "一般公共预算拨款支出"),
    "基本支出": ("基本支出",),
    "项目支出": ("项目支出",),
    "人员经费": ("人员经费",),
    "公用经费": ("公用经费",),
    "“三公”经费": ("“三公”经费", "\"三公\"经费", "三公经费"),
    "因公出国（境）费": ("因公出国（境）费", "因公出国(境)费", "因公出国（境）费用", "因公出国(境)费用", "因公出国（境）预算支出",
                    "因公出国（境）经费", "因公出国(境)经费",
                    "因公出国(境)预算支出", "因公出国（境）支出", "因公出国(境)支出"),
    "公务接待费": ("公务接待费", "公务接待预算支出", "公务接待支出"),
    "公务用车购置及运行费": ("公务用车购置及运行费", "公务用车购置及运行维护费", "公务用车购置及运行维护预算支出", "公务用车购置及运行维护支出"),
    "公务用车购置费": ("公务用车购置费", "公务用车购置预算支出", "公务用车购置支出"),
    "公务用车运行维护费": ("公务用车运行维护费", "公务用车运行费", "公务用车运行维护预算支出", "公务用车运行维护支出"),
    "机关运行经费": ("机关运行经费",),
    "政府采购预算总额": ("政府采购预算总额", "政府采购预算", "政府采购支出预算总额", "政府采购支出总额", "政府采购安排"),
    "政府采购货物预算": ("政府采购货物预算", "拟采购货物支出", "拟购买货物", "政府采购货物支出", "货物类采购预算", "政府采购货物类预算"),
    "政府采购工程预算": ("政府采购工程预算", "拟采购工程支出", "拟购买工程", "政府采购工程支出", "工程类采购预算", "政府采购工程类预算"),
    "政府采购服务预算": ("政府采购服务预算", "拟采购服务支出", "拟购买服务支出", "拟购买服务", "政府采购服务支出", "服务类采购预算", "政府采购服务类预算"),
    "结转下年": ("结转下年", "结转下年支出", "年终结转结余", "年末结转和结余"),
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
    r"按照?(?:支出)?(?:功能|经济)(?:分类)?(?:科目)?(?:支出)?(?:划分为|划分|分类为|分为)|"
    r"本部门|本单位|共有|共计|合计|总计|[（(][^）)]{0,12}[）)]|其中[:：]?)+"
)
_GENERIC_PHRASES = {"金额", "涉及金额", "涉及项目金额", "共计金额", "涉及资金", "资金", "涉及预算资金", "项目金额", "预算金额"}
_DEPT_PREFIX = re.compile(
    r"^[^，,。；;]{2,30}?(?:局|委员会|委(?!托)|办公室|办公厅|街道办事处|办事处|中心|院|厅|处|所(?!属)|馆|站|队)(?=.{2,})"
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
        basis: What an amount is, from the words before it (:mod:`budgetkit.vocabulary`):
            ``budget`` (预算安排), ``execution`` (执行数), ``final`` (决算), ``initial_budget``
            (年初预算), or ``None``.
        year: The year printed for the number (``2023年当年预算执行数`` → 2023), if any.
        year_word: ``上年``/``本年``/``当年``/``去年`` when the year is said in words.
        base_basis: For changes, rates and 持平: the basis of what it is compared with
            (比2023年预算执行数 → ``execution``; 完成年初预算的 → ``initial_budget``).
        base_year: The year of that comparison, when printed (比2023年… → 2023).
        base_value: The amount compared with, when the same paragraph states it (the 执行数 of
            ``2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%``).
        base_text: ``base_value`` as printed.
        base_index: Index of the claim stating ``base_value``.
        current_index: Index of the amount claim a change, rate or 持平 is about.
        account: The 科目 the amount is an amount of, as printed (``一般公共服务支出（类）统计信息事务（款）
            专项普查活动（项）``, ``2011301-行政运行``, ``小学教育（2050202）``), else empty.
        account_levels: Levels of its parts, ``|``-separated (``类|款|项``).
        account_names: Names of its parts as printed, ``|``-separated.
        account_codes: Codes of its parts as printed or derived (``221|22102|2210201``; empty where
            not printed), ``|``-separated.
        context: ``explanation`` (in a 主要原因/主要用于/具体为 clause: an amount of a project or a
            part, not of the line), ``standard`` (单价100万元以上, 4.5万元/人/年, 得分标准), ``aside``
            (inside brackets: ``（注：上年3,468.18万元…）``), or empty.
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
    basis: str | None = None
    year: int | None = None
    year_word: str | None = None
    base_basis: str | None = None
    base_year: int | None = None
    base_value: Decimal | None = None
    base_text: str | None = None
    base_index: int | None = None
    current_index: int | None = None
    account: str = ""
    account_levels: str = ""
    account_names: str = ""
    account_codes: str = ""
    context: str = ""

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
    # 一般共公预算 (西安市发改委 2019 p.23, twice): the characters swapped
    folded = phrase.replace("一般共公预算", "一般公共预算")
    folded = folded.replace('"', "“").replace("”", "“").replace("‘", "“").replace("’", "“")
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
    for text in texts:
        # 一般公共预算拨款基本支出: a fund word before the head, which is 基本支出 (a part of the fund's spending)
        head = _FUND_HEAD_RE.match(text)
        if head:
            return canonical_subject(head.group("head"))
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


#: A fund's name before a part of its spending: 一般公共预算拨款基本支出, 财政拨款项目支出.
_FUND_HEAD_RE = re.compile(
    r"^(?:本年度|年度|本部门|部门|本单位|单位|当年)*(?:一般公共预算(?:财政)?(?:拨款)?|财政拨款|公共财政预算(?:拨款)?)"
    r"(?P<head>基本支出|项目支出|人员经费|公用经费)(?:预算数?|预算|数)?$"
)


#: An item number before the subject: 1． / 2、 / ① (not a year or an amount: a digit and its mark only).
_ITEM_NUMBER_RE = re.compile(r"^(?:\d{1,2}\s*[、.．](?![0-9０-９])|[①-⑳])\s*")


def _clean_phrase(raw: str, department: str | None) -> str:
    phrase = raw.strip().strip("，,；;：:、。 \t")
    for _ in range(4):
        before = phrase
        phrase = _ITEM_NUMBER_RE.sub("", phrase)  # 1．本年支出合计
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
    if not re.search(r"收、?支总计$", phrase):  # 收、支总计 keeps its 总计: 收、支 alone names nothing
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
        while sep == "、" and idx > floor and text[idx - 1] == "收" and text[idx + 1 : idx + 2] == "支":
            idx = text.rfind(sep, floor, idx)  # 收、支总计 is one phrase (收入和支出), not two clauses
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
    # a numbered line that states an amount or a rate is an item, not a heading (1．本年收入合计 92,596.24 万元。)
    if any(m.group("unit") in _MONEY_UNITS + ("%", "％") for m in _NUMBER_RE.finditer(stripped)):
        return False
    return bool(_SECTION_RE.match(stripped) or _SUBSECTION_RE.match(stripped))


# --------------------------------------------------------------------------- printed forms

_CJK = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]"
_SPACE_BETWEEN_CJK = re.compile(f"(?<={_CJK})[ \u3000\u00a0]+(?={_CJK})")
#: Digits printed letter-spaced (``9 9 9 . 8 3万元``, ``1 , 1 8 2 . 5 9``): three or more single
#: characters each one space apart.
_LETTER_SPACED = re.compile(r"(?<![\d.,，．])\d(?:[ \u00a0][\d.,，．]){2,}(?!\d)")


def normalise_printed(text: str) -> str:
    """Undo letter spacing: spaces between CJK characters and inside letter-spaced numbers go.

    PDFs justify lines by spacing their characters (``社 会 保 障 和 就 业 支 出``, ``算 9 9 9 . 8 3万元``);
    read as printed, a number loses its unit and a subject its words.

    Examples:
        >>> normalise_printed("年初预算 9 9 9 . 8 3万元，政 府 性 基 金 收 入 27600.00 万 元")
        '年初预算 999.83万元，政府性基金收入 27600.00 万元'
    """
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return _LETTER_SPACED.sub(lambda m: re.sub(r"\s", "", m.group(0)), text)


# --------------------------------------------------------------------------- 科目 references


@dataclass(frozen=True)
class AccountPart:
    """One level of a printed 科目 reference: ``统计信息事务（款）``, ``（221类）``, ``2011301-行政运行``.

    Attributes:
        level: 类 / 款 / 项 (from the marker, or from the code's length).
        name: The name as printed (numbering and quotes removed).
        code: The code as printed, completed from the level above when printed relative
            (``住房公积金（01项）`` under ``（02款）`` under ``（221类）`` → ``2210201``); ``None`` if none.
    """

    level: str | None
    name: str
    code: str | None


@dataclass(frozen=True)
class AccountRef:
    """A 科目 the narrative names: its parts from 类 down, where it stands in the line."""

    parts: tuple[AccountPart, ...]
    text: str
    start: int
    end: int


_LEVEL_MARK_RE = re.compile(r"[（(]\s*(?P<code>\d{1,7})?\s*(?P<level>类|款|项)\s*[)）]")
#: “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”: 类, 款 and 项 names in quotes, dash-separated.
_QUOTED_PATH_RE = re.compile(r"[“\"](?P<path>[^“”\"\-－—–]{2,30}(?:\s*[-－—–]\s*[^“”\"\-－—–]{2,40}){1,2})[”\"]")
_CODE_IN_BRACKETS_RE = re.compile(r"[（(]\s*(?P<code>\d{3}(?:\d{2}){0,2})\s*[)）]")
_CODE_DASH_NAME_RE = re.compile(r"(?<![\d.,，．])(?P<code>\d{3}(?:\d{2}){0,2})\s*[-－—–]\s*(?P<name>[^\s，,。；;：:\d]{2,40})")
_NAME_STOPS = set("，,。；;：:、“”\"‘’ \t\u3000")
_NUMBERING_RE = re.compile(
    r"^(?:第?[\d一二三四五六七八九十]{1,3}\s*[.、．]|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]|[①-⑳])\s*"
)
_LEADING_WORDS_RE = re.compile(r"^(?:其中|包括|主要包括|主要用于|用于|分别为|即|含)+")
_LEVEL_BY_CODE_LENGTH = {3: "类", 5: "款", 7: "项"}


def _name_before(text: str, end: int, limit: int = 40) -> tuple[int, str]:
    """The name standing right before ``end``: back to a delimiter, numbering and lead words removed."""
    start = end
    while start > 0 and end - start < limit and text[start - 1] not in _NAME_STOPS:
        start -= 1
    name = text[start:end]
    for _ in range(3):
        stripped = _LEADING_WORDS_RE.sub("", _NUMBERING_RE.sub("", name))
        if stripped == name:
            break
        name = stripped
    return end - len(name), name


def _class_name_in(name: str) -> str:
    """A 类 name walked back too far (``实际应使用卫生健康支出``) cut to the class name it ends with."""
    from budgetkit.vocabulary import fold_name, narrative_vocabulary

    vocab = narrative_vocabulary()
    known = list(vocab.function_classes.values()) + [r.former for r in vocab.renames]
    for candidate in sorted(known, key=len, reverse=True):
        core = fold_name(candidate)
        at = name.rfind(core)
        if core and at > 0 and fold_name(name[at:]) == core:
            return name[at:]
    return name


def _complete_codes(parts: list[tuple[str | None, str, str | None]]) -> tuple[AccountPart, ...]:
    out: list[AccountPart] = []
    parent: str | None = None
    for level, name, code in parts:
        if code and parent and len(code) == 2 and level in ("款", "项"):
            code = parent + code  # （01项） under 22102
        if code and len(code) not in (3, 5, 7):
            code = None
        level = level or (_LEVEL_BY_CODE_LENGTH.get(len(code)) if code else None)
        out.append(AccountPart(level, name.strip(), code))
        parent = code
    return tuple(out)


def find_accounts(text: str) -> list[AccountRef]:
    """The 科目 references of a line, in order.

    Three printed forms: names with level markers (``一般公共服务支出（类）统计信息事务（款）专项普查活动（项）``,
    ``医疗卫生与计划生育支出（210类）``, ``住房公积金（01项）``), a code, a dash and the name
    (``2011301-行政运行``), and a name with its code in brackets (``小学教育（2050202）``,
    ``工资福利支出（301）`` — an economic code).

    Examples:
        >>> [p.name for p in find_accounts("1. “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”25.77万元")[0].parts]
        ['一般公共服务支出', '统计信息事务', '专项普查活动']
    """
    refs: list[AccountRef] = []
    taken: list[tuple[int, int]] = []
    group: list[tuple[int, re.Match[str]]] = []

    def flush() -> None:
        if not group:
            return
        parts = []
        previous_end = None
        for name_start, mark in group:
            name = text[name_start : mark.start()] if previous_end is not None else _name_before(text, mark.start())[1]
            if previous_end is None and mark.group("level") == "类":
                name = _class_name_in(name)
            parts.append((mark.group("level"), name, mark.group("code")))
            previous_end = mark.end()
        start = group[0][1].start() - len(parts[0][1])
        end = group[-1][1].end()
        refs.append(AccountRef(_complete_codes(parts), text[start:end], start, end))
        taken.append((start, end))
        group.clear()

    previous_end = None
    for mark in _LEVEL_MARK_RE.finditer(text):
        gap = text[previous_end : mark.start()] if previous_end is not None else ""
        if group and gap and len(gap) <= 40 and not any(c in _NAME_STOPS or c.isdigit() for c in gap):
            group.append((previous_end, mark))
        else:
            flush()
            group.append((mark.start(), mark))
        previous_end = mark.end()
    flush()

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for match in _QUOTED_PATH_RE.finditer(text):
        names = [n.strip() for n in re.split(r"[-－—–]", match.group("path"))]
        if free(match.start(), match.end()) and all(re.search(r"[\u4e00-\u9fff]", n) for n in names):
            parts = [(level, name, None) for level, name in zip(("类", "款", "项"), names)]
            refs.append(AccountRef(_complete_codes(parts), match.group(0), match.start(), match.end()))
            taken.append((match.start(), match.end()))
    for match in _CODE_DASH_NAME_RE.finditer(text):
        if free(match.start(), match.end()):
            name = _NUMBERING_RE.sub("", match.group("name"))
            refs.append(AccountRef(_complete_codes([(None, name, match.group("code"))]), match.group(0), match.start(), match.end()))
            taken.append((match.start(), match.end()))
    for match in _CODE_IN_BRACKETS_RE.finditer(text):
        start, name = _name_before(text, match.start())
        if name and re.search(r"[\u4e00-\u9fff]", name) and free(start, match.end()):
            refs.append(AccountRef(_complete_codes([(None, name, match.group("code"))]), text[start : match.end()], start, match.end()))
            taken.append((start, match.end()))
    return sorted(refs, key=lambda r: r.start)


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
    # The last amount of the paragraph before: a paragraph that opens with the comparison
    # (比上年执行数增加23.99万元 on a line of its own) is about it.
    carry: Claim | None = None
    for line in lines:
        text = normalise_printed((line.text or "").replace("\t", ""))
        stripped = text.strip()
        if not stripped or not re.search(r"[\u4e00-\u9fff]", stripped):
            continue  # blank lines and page numbers
        if _PART_RE.match(stripped):
            section, subsection, carry = None, None, None
            continue
        if _is_heading(stripped):
            if _SECTION_RE.match(stripped):
                section, subsection = stripped, None
            else:
                subsection = stripped
            carry = None
            continue
        found_in_line: list[Claim] = []
        for s_start, s_end in _sentences(text):
            found = _claims_in_sentence(text, s_start, s_end, line.location, section, subsection, department, len(claims),
                                        carry)
            found_in_line.extend(found)
            amounts = [c for c in found if c.kind == "amount"]
            carry = amounts[-1] if amounts else None
        _annotate_paragraph(text, found_in_line)
        claims.extend(found_in_line)
    for i, claim in enumerate(claims):
        claim.index = i
    for claim in claims:
        current, base = getattr(claim, "_current", None), getattr(claim, "_base", None)
        claim.current_index = current.index if current is not None and current.index >= 0 else None
        claim.base_index = base.index if base is not None and base.index >= 0 else None
    return claims


# --------------------------------------------------------------------------- periods and accounts

_YEAR_RE = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
#: 上年结转/上年结余 is this year's money carried over, not a prior-year amount.
_YEAR_WORD_RE = re.compile(r"上一年|上年(?!度?结转|度?结余)|去年|本年|当年|今年")
#: The words that make an amount the prior year's: 较上年的 637.77 万元, 去年预算数为 0 万元 (not 比上年1.43万元).
_PRIOR_AMOUNT_RE = re.compile(r"(?:上一年|上年|去年)(?!度?结转|度?结余)[^，,；;。]{0,8}?(?:的|为|是)\s*$")
#: A phrase of nothing but the year and the basis (2026 年预算安排): the amount's subject is elsewhere.
_BASIS_ONLY_RE = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?|本年度?|当年|全年|预算安排|预算数|预算|安排|为|是|[\s:：])*$")
#: Words that name the year before the document's.
PRIOR_YEAR_WORDS = ("上年", "上一年", "去年")
_BASE_TAIL_RE = re.compile(r"\s*(?:度)?\s*(?:当年)?(?:年初)?(?:预算执行数|预算执行|执行数|决算数|决算|预算安排数?|预算数|预算)?")
#: The words an amount of a 科目 may carry between the 科目 and the number: years, basis words,
#: quotes — nothing that names something else (主要原因是新增转拨项目…31000万元 is not the 科目's).
_NEUTRAL_OWN_RE = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年度?|本年度?|当年|上年度?|全年|今年|去年|年初|预算|安排|执行数|执行|决算数?|支出|拨款|"
    r"数|为|是|共计|共|合计|总计|计|金额|资金|约|达|的|科目|[“”\"\s:：，,（）()、])*$"
)


def _fold_base(base: str) -> str:
    return re.sub(r"\s", "", base)


def _set_period(claim: Claim, text: str, clause_from: int, pos: int, s_start: int, end: int) -> None:
    """The year the number is printed for, and whether it stands in an explanation or is a standard."""
    vocab = narrative_vocabulary()
    words = text[clause_from:pos]
    years = list(_YEAR_RE.finditer(words))
    if years:
        claim.year = int(years[-1].group("year"))
    else:
        word = list(_YEAR_WORD_RE.finditer(words))
        claim.year_word = word[-1].group(0) if word else None
    claim._prior_amount = bool(_PRIOR_AMOUNT_RE.search(words))
    if vocab.explanation_clause.search(text[s_start:pos]):
        claim.context = "explanation"
    elif vocab.standard_before.search(text[max(clause_from, pos - 6) : pos]) or vocab.standard_after.match(text[end:]):
        claim.context = "standard"
    elif _inside_brackets(text[s_start:pos]):
        claim.context = "aside"


def _inside_brackets(before: str) -> bool:
    """Does the number stand inside （…）? (``比上年预算（注：上年3,468.18万元，公开时请删除注释）减少…``)"""
    return before.count("（") + before.count("(") > before.count("）") + before.count(")")


def _set_base_period(claim: Claim, words: str) -> None:
    """Year and basis of what a change or 持平 compares with (``比2023年预算执行数``)."""
    year = _YEAR_RE.search(words)
    claim.base_year = int(year.group("year")) if year else None
    claim.base_basis = narrative_vocabulary().basis_of(words)


def _annotate_paragraph(text: str, claims: list[Claim]) -> None:
    """Give the paragraph's amounts their 科目 and its rates and 持平 the amount they compare with.

    An amount is an amount of the 科目 printed before it in the paragraph when nothing but years,
    basis words and quotes stand between (``“…（项）”25.77万元``, ``…（项）。年初预算0万元，支出决算56万元``).
    A change rate, completion rate or 持平 compares with an amount of the same sentence and
    科目 whose year and basis are those of its comparison (``比2023年预算执行数`` → the
    ``2023年当年预算执行数``; ``完成年初预算的`` → the ``年初预算``).
    """
    refs = find_accounts(text)
    for claim in claims:
        if claim.kind != "amount" or claim.unit not in UNIT_TO_YUAN or claim.context:
            continue
        governing = [r for r in refs if r.end <= claim.start]
        if not governing:
            continue
        ref = governing[-1]
        sentence_start = max((text.rfind(mark, 0, claim.start) + 1 for mark in "。！？!?"), default=0)
        own = text[max(ref.end, sentence_start, _clause_start(text, claim.start, 0)) : claim.start]
        if not _NEUTRAL_OWN_RE.match(own):
            continue
        claim.account = ref.text
        claim.account_levels = "|".join(p.level or "" for p in ref.parts)
        claim.account_names = "|".join(p.name for p in ref.parts)
        claim.account_codes = "|".join(p.code or "" for p in ref.parts)
    for claim in claims:
        if claim.kind not in ("change_amount", "change_rate", "completion_rate", "same_as_prior"):
            continue
        current = getattr(claim, "_current", None)
        if current is None or current not in claims:
            continue
        # the amounts of the same sentence and 科目 it may compare with: before it, or an aside anywhere
        # (与上年相比增加 108.18 万元（去年预算数为 0 万元…）)
        candidates = [a for a in claims if a.kind == "amount" and a.unit in UNIT_TO_YUAN and a is not current
                      and a.sentence == claim.sentence and a.context in ("", "aside")
                      and (a.account == current.account or a.context == "aside")
                      and (a.start < claim.start or a.context == "aside")]
        prior_word = claim.base in PRIOR_YEAR_WORDS
        if claim.kind == "completion_rate":
            candidates = [a for a in candidates if a.basis in ("budget", "initial_budget") and a.start < current.start]
            if not candidates:
                # 项目全年预算数为 1018.55 万元…。项目实际支出 760.53 万元，预算执行率 74.67%: the one budget
                # amount the paragraph stated before, when its sentence states none
                before = [a for a in claims if a.kind == "amount" and a.unit in UNIT_TO_YUAN and a is not current and not a.context
                          and a.start < current.start and a.sentence != current.sentence and a.basis in ("budget", "initial_budget")
                          and a.account == current.account]
                others = [c for c in claims if c.kind == "completion_rate" and c is not claim and c.start < claim.start]
                before = [a for a in before if not others or a.start > max(c.start for c in others)]
                candidates = before[-1:] if len({a.value for a in before}) == 1 else []
        elif claim.base_year is None and claim.base_basis is None and not prior_word:
            continue
        else:
            candidates = [a for a in candidates if (claim.base_year is None or a.year == claim.base_year)
                          and (claim.base_basis is None or a.basis == claim.base_basis or (a.context == "aside" and a.basis is None))
                          and (not prior_word or claim.base_year is not None
                               or (a.year_word in PRIOR_YEAR_WORDS and (a.context == "aside" or getattr(a, "_prior_amount", False))))]
        if candidates:
            base = candidates[-1]
            claim.base_value, claim.base_text, claim._base = base.value, base.text, base


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
                    base=_fold_base(match.group("base")),
                    current_value=target.value if target else None,
                    current_unit=target.unit if target else None,
                    current_text=target.text if target else None,
                    attached="nearest" if target else "none",
                    start=pos,
                )
            )
            _set_base_period(out[-1], match.group(0))
            out[-1]._current = target
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
        completion = narrative_vocabulary().completion.search(before) if unit == "%" and not change else None

        rate_of_change = None
        if unit == "%" and not change and not share and last_change is not None:
            rate_of_change = _RATE_OF_CHANGE_RE.fullmatch(text, last_change.start + len(last_change.text), pos)
            word = next((w for w in _RATE_WORD_DIRECTIONS if rate_of_change and w in rate_of_change.group(0)), None)
            if word and last_change.direction not in _RATE_WORD_DIRECTIONS[word]:
                rate_of_change = None  # 增幅 after a decrease: not this change's rate

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
        _set_period(claim, text, clause_from, pos, s_start, match.end())
        if rate_of_change is not None:
            # the rate of the change it follows: the same subject, current amount and base
            claim.kind, claim.direction = "change_rate", last_change.direction
            claim.subject, claim.phrase, claim.attached = last_change.subject, last_change.phrase, last_change.attached
            claim.current_value, claim.current_unit = last_change.current_value, last_change.current_unit
            claim.current_text, claim.base = last_change.current_text, last_change.base
            claim.base_basis, claim.base_year = last_change.base_basis, last_change.base_year
            claim._current = getattr(last_change, "_current", None)
        elif change:
            claim.direction = change.group("word")
            claim.base = _fold_base(base_match.group("base")) if base_match else None
            if base_match:
                _set_base_period(claim, base_match.group(0) + _BASE_TAIL_RE.match(text, base_match.end()).group(0))
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
                claim.base_basis = claim.base_basis or last_change.base_basis
                claim.base_year = claim.base_year or last_change.base_year
                claim._current = getattr(last_change, "_current", None)
            elif target is not None:
                claim.subject, claim.phrase = target.subject, target.phrase
                claim.current_value, claim.current_unit, claim.current_text = target.value, target.unit, target.text
                claim.attached = "head" if target is head and head is not None and parts_after_head >= 2 else "nearest"
                claim._current = target
            else:
                phrase = _clean_phrase(text[clause_from : change.start() + clause_from], department)
                claim.phrase, claim.subject, claim.attached = phrase, canonical_subject(phrase), "own"
            if claim.kind == "change_amount":
                last_change = claim
        elif completion:
            # 年初预算X万元，支出决算Y万元，完成年初预算的Z%: Z = Y / X, about the spent amount.
            claim.kind = "completion_rate"
            claim.base_basis = "initial_budget" if "年初" in completion.group(0) else "budget"
            spent = [a for a in seg_amounts if a.basis in ("final", "execution")]
            target = spent[-1] if spent else (seg_amounts[-1] if seg_amounts else None)
            if target is not None:
                claim.subject, claim.phrase, claim.attached = target.subject, target.phrase, "nearest"
                claim.current_value, claim.current_unit, claim.current_text = target.value, target.unit, target.text
                claim._current = target
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
                claim._current = target
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
            if claim.kind == "amount" and subsection and _BASIS_ONLY_RE.match(phrase) and not out:
                # （二）公务接待费 / 2026 年预算安排 8.00 万元，与上年持平。: the heading names what the amount is
                heading = _NUMBERING_RE.sub("", subsection.strip()).rstrip("。：: ")
                if canonical_subject(heading) != heading or heading in SUBJECT_ALIASES:  # a known subject (公务接待费 is one)
                    claim.phrase, claim.subject, claim.attached = heading, canonical_subject(heading), "heading"
            previous = [c for c in out if c.kind in ("count", "amount")]
            if claim.kind == "amount" and (not phrase or phrase in _GENERIC_PHRASES) and previous:
                # "其他运转类项目3个，涉及金额3,409.55万元": the amount is about the last subject.
                claim.subject = previous[-1].subject
                claim.attached = "nearest"
            if claim.kind == "amount" and claim.context == "aside":
                pass  # an aside in brackets is no subject for the changes and shares around it
            elif claim.kind == "amount":
                claim.basis = narrative_vocabulary().basis_of(before)
                seg_amounts.append(claim)
                last_change = None
                if head is not None and claim is not head:
                    parts_after_head += 1
        if claim.kind != "amount":
            claim.year, claim.year_word = None, None
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
    # 预算安排 663.08 万元，较上年的 637.77 万元，增加 25.31 万元: the prior-year amount is the base, not the subject
    current = [a for a in seg_amounts if a.year_word not in PRIOR_YEAR_WORDS]
    return current[-1] if current else (seg_amounts[-1] if seg_amounts else None)


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


def document_claims(document) -> list[Claim]:
    """The claims of a document's narrative: what ``claims.csv`` holds and the narrative rules check.

    The department name stripped from subjects is the one the tables print (部门名称/单位名称),
    else the publisher of the manifest.
    """
    department = next((t.department for t in document.tables.values() if t.department), None)
    department = department or (document.metadata or {}).get("publisher") or None
    return extract_claims(document.narrative, department)


# --------------------------------------------------------------------------- the document's period


@dataclass(frozen=True)
class Period:
    """The fiscal year and kind of a document, and where they were read.

    Attributes:
        year: The fiscal year (2024 for a 2024年部门预算 or a 2024年度部门决算), or ``None``.
        kind: ``budget`` (预算) or ``final`` (决算), or ``None``.
        source: ``manifest`` (its metadata), ``text`` (titles printed in the document), or empty.
    """

    year: int | None
    kind: str | None
    source: str = ""


_TITLE_PERIOD_RE = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年(?:度)?[^，。；,;\d]{0,16}?(?P<kind>预算|决算)")


def document_period(document) -> Period:
    """The document's fiscal year and kind: from its metadata, else from the titles it prints.

    The titles voted on are the 第N部分 titles, the table titles and the first lines of the
    narrative (``2022年度部门决算情况说明``, ``上海市普陀区2024年区级部门预算``); the most frequent
    year and kind win. A document that prints neither gets ``Period(None, None)``.
    """
    from collections import Counter

    meta = document.metadata or {}
    year_text = str(meta.get("fiscal_year") or "").strip()
    year = int(year_text) if year_text.isdigit() else None
    kind_text = str(meta.get("kind") or "")
    kind = "final" if ("final" in kind_text or "决算" in kind_text) else "budget" if ("budget" in kind_text or "预算" in kind_text) else None
    if year and kind:
        return Period(year, kind, "manifest")
    texts = list(document.parts.values()) + [t.title for t in document.tables.values()]
    texts += [line.text for line in document.narrative[:80]]
    years: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    for text in texts:
        for match in _TITLE_PERIOD_RE.finditer(normalise_printed(text or "")):
            years[int(match.group("year"))] += 1
            kinds["final" if match.group("kind") == "决算" else "budget"] += 1
    found_year = year or (years.most_common(1)[0][0] if years else None)
    # 决算 tables make a 决算, whatever an excerpt's titles say (the kind decided when it was read)
    printed_kind = "final" if getattr(document, "kind", None) == "final" else None
    found_kind = kind or printed_kind or (kinds.most_common(1)[0][0] if kinds else None)
    source = "manifest" if (year or kind) and not (years or kinds) else "text" if (years or kinds) else ""
    return Period(found_year, found_kind, source)


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
    "AccountPart",
    "AccountRef",
    "Claim",
    "Period",
    "PriorYearValue",
    "canonical_subject",
    "claims_frame",
    "document_claims",
    "document_period",
    "extract_claims",
    "find_accounts",
    "implied_prior_year",
    "normalise_printed",
    "parse_number",
    "prior_year_frame",
]

_ = field  # keep the import for dataclass users extending Claim
