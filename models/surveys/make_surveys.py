"""Make the example SERVQUAL survey data for two models (issue 12): invented, but told as a story.

Run `python models/surveys/make_surveys.py` (numpy is the only package it needs). It rewrites,
next to itself, three CSV files per model and prints what the data say:

    bank_branch.responses.csv               150 customers (r001 ... r150), 21 rows each
    bank_branch.respondents.csv             their weights, recommend (0-10), satisfaction (1-5)
    bank_branch.management.csv              8 managers (m01 ... m08) predicting expectations
    appliance_aftersales_zh.responses.csv   160 customers (受访者001 ... 受访者160), 23 rows each
    appliance_aftersales_zh.respondents.csv
    appliance_aftersales_zh.management.csv  7 managers (m01 ... m07)

Every number comes from one seed (SEED = 1988, the year of SERVQUAL's 22 items), each model
from its own stream (`default_rng([SEED, k])`), so a rerun writes byte-identical files, and
changing one model's story does not change the other's data. The formats are the ones in
docs/quality.md: long responses `respondent,step,dimension,expectation,perception,adequate,
tolerance` on a 7-point scale, and one row per respondent in the respondents file.

What a respondent answers
-------------------------
- Every moment of truth (a step in the customer or frontstage zone), in journey order, on the
  dimensions the model's step lists under `dimensions:`. The customers are regulars who have
  used the whole service, so each rates every touchpoint. Where a step lists none, two at
  most were chosen here (they are marked `chosen=True` below):
  bank: enter -> tangibles (signage, ticket machine); fill_slip -> tangibles, reliability (the
  slip and whether it gets filled in right); leave -> tangibles, reliability (receipt, keypad).
  appliance: 报修 -> 有形性 (the hotline card, the voice menu); 预约确认 -> 响应性, 移情性 (how fast
  and how convenient the two-hour slot is); 说明故障 -> 有形性, 移情性 (the price list on show,
  being listened to); 验收付款 -> 可靠性, 有形性 (it works; invoice and warranty slip);
  使用观察 -> 可靠性 (it keeps working).
- The classic 22 model-wide items (4 tangibles, 5 reliability, 4 responsiveness, 4 assurance,
  5 empathy) are asked too, but a respondent may answer a step and dimension only once (the
  reader rejects a second row as duplicate-answer). So the model-wide form is COLLAPSED: one
  row per respondent per dimension, `step` empty, holding the respondent's mean over that
  dimension's items (over the items answered), rounded to one decimal; `adequate` likewise.
  Touchpoint rows are integers.
- The Chinese model writes the dimension column in Chinese (有形性, 可靠性, 响应性, 保证性, 移情性).
- `adequate` (the lowest level still accepted) is drawn about 1.5 points below the
  respondent's own expectation (their zone of tolerance; its width varies by respondent) and
  capped at it; in about 1% of the rows a careless respondent swapped the two columns, so a
  few rows have adequate above expectation, as real paper forms do.
- `tolerance` (the longest acceptable wait, minutes) is on the first row of each queue step
  and blank elsewhere, rounded the way people answer (1-4 minutes exactly, then to 5 minutes
  up to 25, to 15 up to 105, then to 30). Medians: bank triage 3, deposit 10, enquiry 10,
  advice 20, explain_offer 15; appliance 受理 2 (waiting on the hotline), 检测维修 60 (past the
  booked slot). Impatient respondents state shorter tolerances and expect more responsiveness.
- Blanks: each expectation and perception is missing with probability 2.5% (about 1.8% of
  the cells in the file: a model-wide row is blank only when all its items are), `adequate` 5%,
  `tolerance` 3%; in the respondents file 3% leave all weights blank, 2% recommend, 2%
  satisfaction.

How an answer is drawn
----------------------
Latent, then rounded to the nearest integer and clipped to 1..7 (the clipping matters: many
customers answer 7 for expectations, which pulls realised gaps a little towards zero):
    expectation = E[dim] + importance[step] + a_i + N(0, 0.55)
    perception  = E[dim] + importance[step] + gap[step, dim] + 0.35 a_i + b_i + c_i[dim]
                  + N(0, 0.75)
    adequate    = expectation - w_i + N(0, 0.45)
a_i ~ N(0, 0.45) is how demanding respondent i is, b_i ~ N(0, 0.55) how well the service went
for them (the respondent-level random effect that correlates their answers), c_i[dim] ~
N(0, 0.25) their view of one dimension, w_i ~ N(1.5, 0.35) the width of their zone of
tolerance. E[dim]: bank tangibles 5.8, reliability 6.5, responsiveness 6.3, assurance 6.3,
empathy 6.0; appliance 5.7, 6.5, 6.2, 6.3, 6.0 (customers expect most of reliability and
least of tangibles, as Parasuraman, Zeithaml and Berry found).

The story: the latent gaps (perception - expectation) per touchpoint
--------------------------------------------------------------------
Bank branch (the lunch peak drives it):
- deposit, responsiveness -1.8, reliability -1.1, assurance -0.4: the teller queue at lunch;
  the cash is counted right, but customers are not served promptly nor at the time they
  expected.
- advice, empathy -1.7 (access: a long wait for one of two personal bankers), assurance -0.5
  (the adviser is rushed);
  explain_offer, empathy -0.7 (a second wait after the credit check), assurance -0.3.
- fill_slip, tangibles -1.3 and reliability -1.1: confusing slips, amounts in words and figures.
- enquiry, responsiveness -1.1 (the same tellers, the same queue), assurance -0.2.
- strong: triage empathy +0.3, responsiveness -0.1 (the greeter); hand_receipt empathy +0.2.
- small: enter tangibles -0.3, leave tangibles 0.0 and reliability -0.2.
- model-wide: responsiveness worst ("prompt service" -1.5, "never too busy" -1.3), reliability
  next, empathy pulled down by opening hours that clash with work (-1.6), tangibles near 0.
- importance offsets: advice +0.3, deposit +0.2, explain_offer +0.2, enter -0.4, leave -0.5,
  hand_receipt -0.3, triage -0.1, enquiry and fill_slip 0: deposit, advice and fill_slip land
  in "concentrate here" of the importance-performance grid.
Appliance after-sales (家电售后):
- 检测维修, 可靠性 -1.8 (no part on the van means a second visit), 保证性 -0.5 (a quote before the
  fault is clear); 装件试机, 可靠性 -0.7.
- 回访, 移情性 -1.5 and 可靠性 -0.8: the follow-up call reads a script and feels perfunctory.
- 受理, 响应性 -0.8 (one agent fewer at lunch), 移情性 +0.1; 预约确认, 响应性 -0.3, 移情性 -0.5.
- strong: 进门, 有形性 +0.5 and 保证性 +0.4 (uniform, badge, shoe covers); 验收付款 有形性 +0.2.
- small: 报修 -0.4 (a long voice menu), 说明故障 +0.1 / -0.2, 讲解离场 0.0, 使用观察 -0.5.
- model-wide: reliability worst ("fixed the first time" -1.4), then responsiveness and empathy.
- importance offsets: 检测维修 +0.3, 装件试机 +0.2, 使用观察 +0.1, 报修 -0.4, 讲解离场 -0.4,
  说明故障 -0.3, 进门 -0.2, 预约确认 -0.1, 受理 验收付款 回访 0: 检测维修 and 回访 land in
  "concentrate here".

Respondents and managers
------------------------
- Weights: 100 points drawn from a Dirichlet with concentration 25 around bank 11/32/22/19/16,
  appliance 10/34/23/18/15 (tangibles/reliability/responsiveness/assurance/empathy, close to
  the published allocations); 60% of respondents think in fives, the rest in single points;
  the largest-remainder rule makes every row sum to exactly 100.
- recommend and satisfaction follow the respondent's overall gap (mean of their dimension
  gaps): u = 0.7 z + 0.71 N(0, 1) with z the standardised gap; recommend = round(m + s u),
  bank m=8.0 s=1.8, appliance m=7.7 s=1.9; satisfaction = round(m + s (0.8 u + 0.6 N)),
  bank m=4.05 s=0.9, appliance m=3.9 s=0.9 (both clipped to their scales).
- Managers (gap 1) fill in the same questionnaire predicting what customers expect:
  perception and adequate blank, tolerance = their guess of the customers' tolerance. They
  overestimate tangibles by 0.8 everywhere and underestimate responsiveness by 1.2 at the
  queue touchpoints and in the model-wide items, and think customers will wait 1.6 times as
  long as they say they will: the classic knowledge gap. Each manager has their own level
  N(0, 0.3), and noise N(0, 0.7) per answer (as spread as the customers, so the scale's ceiling
  at 7 treats both alike).

What it gives at this seed (printed by the script; gaps are means over respondents of each
respondent's mean, as docs/quality.md defines them):
  bank: tangibles -0.45, reliability -0.70, responsiveness -0.90, assurance -0.31,
  empathy -0.54; worst touchpoints fill_slip -1.16, advice -1.09 (empathy -1.70), deposit
  -1.02 (responsiveness -1.72), all three "concentrate here"; triage +0.18, hand_receipt
  +0.18; managers' gap 1 tangibles +0.82, responsiveness -1.10; NPS +22, CSAT 74%.
  appliance: 有形性 +0.06, 可靠性 -0.75, 响应性 -0.58, 保证性 -0.10, 移情性 -0.49; worst
  回访 -1.08 (移情性 -1.44), 检测维修 -1.02 (可靠性 -1.64), both "concentrate here"; best 进门
  +0.36; gap 1 有形性 +0.68, 响应性 -0.68; NPS +9, CSAT 67%.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEED = 1988
HERE = Path(__file__).resolve().parent
DIMENSIONS: tuple[str, ...] = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
CHINESE: dict[str, str] = {
    "tangibles": "有形性", "reliability": "可靠性", "responsiveness": "响应性",
    "assurance": "保证性", "empathy": "移情性",
}
SCALE = (1, 7)
HEADER = ["respondent", "step", "dimension", "expectation", "perception", "adequate", "tolerance"]
RESPONDENT_HEADER = ["respondent", *(f"weight_{d}" for d in DIMENSIONS), "recommend", "satisfaction"]

P_MISSING = 0.025           # an expectation or a perception left blank
P_MISSING_ADEQUATE = 0.05   # the "lowest acceptable" question is skipped a little more often
P_MISSING_TOLERANCE = 0.03
P_CARELESS = 0.01           # expectation and adequate swapped
P_NO_WEIGHTS = 0.03
P_MISSING_SCORE = 0.02      # recommend, satisfaction


@dataclass(frozen=True)
class Touchpoint:
    """A moment of truth as surveyed: its dimensions and what the customers made of it."""

    step: str
    dimensions: tuple[str, ...]
    gaps: Mapping[str, float]            # latent mean perception - expectation per dimension
    importance: float = 0.0              # expectation offset of the whole step
    wait: tuple[float, float] | None = None   # a queue: customers' tolerance median (min), log sd
    chosen: bool = False                 # dimensions chosen here: the model's step lists none


@dataclass(frozen=True)
class Item:
    """One of the 22 model-wide items: what it asks, expectation offset, latent gap."""

    label: str
    importance: float
    gap: float


@dataclass(frozen=True)
class Story:
    """Everything that makes one model's data."""

    stem: str
    chinese: bool
    respondent_id: str                   # format with the 1-based number
    respondents: int
    managers: int
    expectation: Mapping[str, float]     # E[dim]
    touchpoints: tuple[Touchpoint, ...]
    items: Mapping[str, tuple[Item, ...]]
    weights: tuple[float, float, float, float, float]
    manager_bias: Mapping[str, float]
    manager_wait_factor: float
    recommend: tuple[float, float]       # mean and sd of the latent 0-10 answer
    satisfaction: tuple[float, float]    # mean and sd of the latent 1-5 answer

    def label(self, dimension: str) -> str:
        return CHINESE[dimension] if self.chinese else dimension


BANK = Story(
    stem="bank_branch",
    chinese=False,
    respondent_id="r{:03d}",
    respondents=150,
    managers=8,
    expectation={"tangibles": 5.8, "reliability": 6.5, "responsiveness": 6.3, "assurance": 6.3,
                 "empathy": 6.0},
    touchpoints=(
        Touchpoint("enter", ("tangibles",), {"tangibles": -0.3}, importance=-0.4, chosen=True),
        Touchpoint("triage", ("empathy", "responsiveness"), {"empathy": 0.3, "responsiveness": -0.1},
                   importance=-0.1, wait=(3, 0.45)),
        Touchpoint("fill_slip", ("tangibles", "reliability"), {"tangibles": -1.3, "reliability": -1.1},
                   chosen=True),
        Touchpoint("deposit", ("reliability", "responsiveness", "assurance"),
                   {"reliability": -1.1, "responsiveness": -1.8, "assurance": -0.4},
                   importance=0.2, wait=(10, 0.35)),
        Touchpoint("hand_receipt", ("empathy",), {"empathy": 0.2}, importance=-0.3),
        Touchpoint("enquiry", ("responsiveness", "assurance"),
                   {"responsiveness": -1.1, "assurance": -0.2}, wait=(10, 0.4)),
        Touchpoint("advice", ("assurance", "empathy"), {"assurance": -0.5, "empathy": -1.7},
                   importance=0.3, wait=(20, 0.35)),
        Touchpoint("explain_offer", ("assurance", "empathy"), {"assurance": -0.3, "empathy": -0.7},
                   importance=0.2, wait=(15, 0.35)),
        Touchpoint("leave", ("tangibles", "reliability"), {"tangibles": 0.0, "reliability": -0.2},
                   importance=-0.5, chosen=True),
    ),
    items={
        "tangibles": (
            Item("up-to-date equipment: ticket machine, card readers", 0.0, -0.2),
            Item("the branch looks inviting", -0.2, 0.1),
            Item("staff look neat and professional", -0.3, 0.4),
            Item("slips, leaflets and statements are clear", 0.1, -0.8),
        ),
        "reliability": (
            Item("does what it promised by the time it promised", 0.0, -1.1),
            Item("sincere interest in solving a problem", 0.0, -0.7),
            Item("right the first time", 0.2, -0.5),
            Item("service at the time promised", 0.0, -1.0),
            Item("error-free records", 0.3, -0.2),
        ),
        "responsiveness": (
            Item("tells you when things will be done", -0.1, -0.9),
            Item("prompt service (the lunch queue)", 0.1, -1.5),
            Item("always willing to help", 0.0, -0.4),
            Item("never too busy to respond", 0.0, -1.3),
        ),
        "assurance": (
            Item("staff inspire confidence", 0.0, -0.4),
            Item("safe in transactions", 0.3, -0.1),
            Item("consistently courteous", 0.0, 0.1),
            Item("knowledge to answer questions", 0.0, -0.6),
        ),
        "empathy": (
            Item("individual attention", -0.2, -0.4),
            Item("opening hours that suit customers (09:00-17:00 clashes with work)", 0.0, -1.6),
            Item("personal attention from staff", -0.3, -0.4),
            Item("the customer's best interests at heart", 0.0, -0.9),
            Item("understands specific needs", 0.0, -0.6),
        ),
    },
    weights=(0.11, 0.32, 0.22, 0.19, 0.16),
    manager_bias={"tangibles": 0.8, "responsiveness": -1.2},
    manager_wait_factor=1.6,
    recommend=(8.0, 1.8),
    satisfaction=(4.05, 0.9),
)

APPLIANCE = Story(
    stem="appliance_aftersales_zh",
    chinese=True,
    respondent_id="受访者{:03d}",
    respondents=160,
    managers=7,
    expectation={"tangibles": 5.7, "reliability": 6.5, "responsiveness": 6.2, "assurance": 6.3,
                 "empathy": 6.0},
    touchpoints=(
        Touchpoint("报修", ("tangibles",), {"tangibles": -0.4}, importance=-0.4, chosen=True),
        Touchpoint("受理", ("responsiveness", "empathy"), {"responsiveness": -0.8, "empathy": 0.1},
                   wait=(2, 0.5)),
        Touchpoint("预约确认", ("responsiveness", "empathy"), {"responsiveness": -0.3, "empathy": -0.5},
                   importance=-0.1, chosen=True),
        Touchpoint("进门", ("tangibles", "assurance"), {"tangibles": 0.5, "assurance": 0.4},
                   importance=-0.2),
        Touchpoint("说明故障", ("tangibles", "empathy"), {"tangibles": 0.1, "empathy": -0.2},
                   importance=-0.3, chosen=True),
        Touchpoint("检测维修", ("reliability", "assurance"), {"reliability": -1.8, "assurance": -0.5},
                   importance=0.3, wait=(60, 0.45)),
        Touchpoint("装件试机", ("reliability",), {"reliability": -0.7}, importance=0.2),
        Touchpoint("验收付款", ("reliability", "tangibles"), {"reliability": -0.2, "tangibles": 0.2},
                   chosen=True),
        Touchpoint("讲解离场", ("empathy",), {"empathy": 0.0}, importance=-0.4),
        Touchpoint("使用观察", ("reliability",), {"reliability": -0.5}, importance=0.1, chosen=True),
        Touchpoint("回访", ("empathy", "reliability"), {"empathy": -1.5, "reliability": -0.8}),
    ),
    items={
        "tangibles": (
            Item("工具和检测设备先进", 0.0, 0.1),
            Item("网点和服务车辆外观整洁", -0.3, 0.0),
            Item("工程师衣着整洁、佩戴工牌", -0.2, 0.5),
            Item("收费标准、保修凭证等资料清楚", 0.1, -0.3),
        ),
        "reliability": (
            Item("在承诺的时段上门", 0.0, -1.0),
            Item("出了问题真心帮忙解决", 0.0, -0.6),
            Item("第一次就修好", 0.2, -1.4),
            Item("在承诺的时间修好", 0.0, -0.9),
            Item("工单和收费记录准确", 0.2, -0.2),
        ),
        "responsiveness": (
            Item("告知何时上门、何时修好", 0.0, -0.6),
            Item("及时上门", 0.1, -1.1),
            Item("总是乐于帮忙", -0.1, -0.3),
            Item("再忙也及时回应", 0.0, -1.0),
        ),
        "assurance": (
            Item("工程师让人信任", 0.0, -0.2),
            Item("让工程师进家门感到放心", 0.3, 0.2),
            Item("始终礼貌", 0.0, 0.2),
            Item("有足够的专业知识回答问题", 0.0, -0.5),
        ),
        "empathy": (
            Item("给予个别的关注", -0.2, -0.6),
            Item("上门时段方便用户", 0.0, -1.0),
            Item("工作人员关心用户", -0.3, -0.8),
            Item("把用户的利益放在心上", 0.0, -1.0),
            Item("了解用户的具体需要", 0.0, -0.7),
        ),
    },
    weights=(0.10, 0.34, 0.23, 0.18, 0.15),
    manager_bias={"tangibles": 0.8, "responsiveness": -1.2},
    manager_wait_factor=1.6,
    recommend=(7.7, 1.9),
    satisfaction=(3.9, 0.9),
)

STORIES: tuple[Story, ...] = (BANK, APPLIANCE)


@dataclass
class Answer:
    """One row of a responses or management file, as numbers (nan = blank)."""

    respondent: str
    step: str                 # "" = model-wide
    dimension: str            # English
    expectation: float
    perception: float
    adequate: float
    tolerance: float
    decimals: int             # 0 for touchpoint rows, 1 for the collapsed model-wide rows


def on_scale(latent: float) -> float:
    """The answer a respondent ticks: the nearest point of the scale."""
    return float(min(max(round(latent), SCALE[0]), SCALE[1]))


def as_answered(minutes: float) -> float:
    """A stated wait, rounded the way people say it: 1-4 minutes exactly, then 5, 15, 30 minutes."""
    if minutes < 4.5:
        return float(max(1, round(minutes)))
    step = 5 if minutes < 27.5 else 15 if minutes < 112.5 else 30
    return float(step * max(1, round(minutes / step)))


def blank_if(value: float, p: float, rng: np.random.Generator) -> float:
    return math.nan if rng.random() < p else value


def draw_answer(rng: np.random.Generator, mean: float, gap: float, demanding: float, went: float,
                view: float, width: float) -> tuple[float, float, float]:
    """expectation, perception, adequate for one question (before blanks)."""
    e_latent = mean + demanding + rng.normal(0, 0.55)
    p_latent = mean + gap + 0.35 * demanding + went + view + rng.normal(0, 0.75)
    a_latent = e_latent - width + rng.normal(0, 0.45)
    careless = rng.random() < P_CARELESS
    expectation = on_scale(e_latent)
    adequate = min(on_scale(a_latent), expectation)
    if careless:                # ticked the two columns the wrong way round
        expectation, adequate = adequate, expectation
    return expectation, on_scale(p_latent), adequate


def respondents_answers(story: Story, rng: np.random.Generator) -> list[Answer]:
    rows: list[Answer] = []
    for number in range(1, story.respondents + 1):
        who = story.respondent_id.format(number)
        demanding = rng.normal(0, 0.45)
        went = rng.normal(0, 0.55)
        width = rng.normal(1.5, 0.35)
        patience = rng.normal()
        views = dict(zip(DIMENSIONS, rng.normal(0, 0.25, size=len(DIMENSIONS)), strict=True))
        for tp in story.touchpoints:
            for k, dim in enumerate(tp.dimensions):
                hurry = -0.3 * patience if dim == "responsiveness" else 0.0
                e, p, a = draw_answer(rng, story.expectation[dim] + tp.importance + hurry,
                                      tp.gaps[dim], demanding, went, views[dim], width)
                tolerance = math.nan
                if tp.wait is not None and k == 0:
                    median, spread = tp.wait
                    z = 0.6 * patience + 0.8 * rng.normal()
                    tolerance = blank_if(as_answered(median * math.exp(spread * z)),
                                         P_MISSING_TOLERANCE, rng)
                rows.append(Answer(who, tp.step, dim, blank_if(e, P_MISSING, rng),
                                   blank_if(p, P_MISSING, rng), blank_if(a, P_MISSING_ADEQUATE, rng),
                                   tolerance, 0))
        for dim in DIMENSIONS:
            hurry = -0.3 * patience if dim == "responsiveness" else 0.0
            answered: list[tuple[float, float, float]] = []
            for item in story.items[dim]:
                e, p, a = draw_answer(rng, story.expectation[dim] + item.importance + hurry, item.gap,
                                      demanding, went, views[dim], width)
                answered.append((blank_if(e, P_MISSING, rng), blank_if(p, P_MISSING, rng),
                                 blank_if(a, P_MISSING_ADEQUATE, rng)))
            e, p, a = (collapse([row[j] for row in answered]) for j in range(3))
            rows.append(Answer(who, "", dim, e, p, a, math.nan, 1))
    return rows


def collapse(values: Sequence[float]) -> float:
    """The mean over the items answered, to one decimal (blank if none was)."""
    present = [v for v in values if not math.isnan(v)]
    return round(sum(present) / len(present), 1) if present else math.nan


def managers_answers(story: Story, rng: np.random.Generator) -> list[Answer]:
    """Managers predict the customers' expectations (gap 1): the same questions, their guesses."""
    rows: list[Answer] = []
    for number in range(1, story.managers + 1):
        who = f"m{number:02d}"
        level = rng.normal(0, 0.3)
        for tp in story.touchpoints:
            for k, dim in enumerate(tp.dimensions):
                bias = story.manager_bias.get(dim, 0.0)
                if dim == "responsiveness" and tp.wait is None:
                    bias = 0.0          # the blind spot is the queue
                guess = on_scale(story.expectation[dim] + tp.importance + bias + level
                                 + rng.normal(0, 0.7))
                tolerance = math.nan
                if tp.wait is not None and k == 0:
                    guessed = tp.wait[0] * story.manager_wait_factor * math.exp(0.25 * rng.normal())
                    tolerance = as_answered(guessed)
                rows.append(Answer(who, tp.step, dim, guess, math.nan, math.nan, tolerance, 0))
        for dim in DIMENSIONS:
            bias = story.manager_bias.get(dim, 0.0)
            guesses = [on_scale(story.expectation[dim] + item.importance + bias + level
                                + rng.normal(0, 0.7)) for item in story.items[dim]]
            rows.append(Answer(who, "", dim, collapse(guesses), math.nan, math.nan, math.nan, 1))
    return rows


def hundred_points(rng: np.random.Generator, shares: Sequence[float]) -> list[int]:
    """100 points over the five dimensions, as a respondent splits them (often in fives)."""
    split = rng.dirichlet([25 * s for s in shares])
    units = 20 if rng.random() < 0.6 else 100
    exact = split * units
    points = np.floor(exact).astype(int)
    short = units - int(points.sum())
    order = np.argsort(-(exact - points), kind="stable")
    points[order[:short]] += 1
    return [int(p) * (100 // units) for p in points]


def overall_gaps(rows: Sequence[Answer]) -> dict[str, float]:
    """Each respondent's mean of their dimension gaps (what recommend and satisfaction follow)."""
    per: dict[str, dict[str, list[float]]] = {}
    for row in rows:
        if not (math.isnan(row.expectation) or math.isnan(row.perception)):
            per.setdefault(row.respondent, {}).setdefault(row.dimension, []).append(
                row.perception - row.expectation)
    return {who: float(np.mean([np.mean(g) for g in dims.values()])) for who, dims in per.items()}


def respondents_table(story: Story, rows: Sequence[Answer], rng: np.random.Generator) -> list[list[str]]:
    gaps = overall_gaps(rows)
    ids = [story.respondent_id.format(n) for n in range(1, story.respondents + 1)]
    values = np.array([gaps[who] for who in ids])
    z = (values - values.mean()) / values.std()
    table: list[list[str]] = []
    for who, zi in zip(ids, z, strict=True):
        points = hundred_points(rng, story.weights)
        u = 0.7 * zi + 0.71 * rng.normal()
        recommend = min(max(round(story.recommend[0] + story.recommend[1] * u), 0), 10)
        s = 0.8 * u + 0.6 * rng.normal()
        satisfaction = min(max(round(story.satisfaction[0] + story.satisfaction[1] * s), 1), 5)
        weights = [""] * 5 if rng.random() < P_NO_WEIGHTS else [str(p) for p in points]
        recommend_cell = "" if rng.random() < P_MISSING_SCORE else str(recommend)
        satisfaction_cell = "" if rng.random() < P_MISSING_SCORE else str(satisfaction)
        table.append([who, *weights, recommend_cell, satisfaction_cell])
    return table


def cell(value: float, decimals: int) -> str:
    if math.isnan(value):
        return ""
    return f"{value:.{decimals}f}"


def answer_table(story: Story, rows: Sequence[Answer]) -> list[list[str]]:
    return [[r.respondent, r.step, story.label(r.dimension), cell(r.expectation, r.decimals),
             cell(r.perception, r.decimals), cell(r.adequate, r.decimals), cell(r.tolerance, 0)]
            for r in rows]


def write_csv(path: Path, header: Sequence[str], table: Sequence[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(table)


# ---- what the data say, computed as docs/quality.md defines it (respondent means first) ----

def respondent_mean(rows: Sequence[Answer], value: str, keep: str = "") -> float:
    """Mean over respondents of each respondent's mean of `value` over the rows given."""
    per: dict[str, list[float]] = {}
    for row in rows:
        if value == "gap":
            if math.isnan(row.expectation) or math.isnan(row.perception):
                continue
            x = row.perception - row.expectation
        else:
            x = getattr(row, value)
            if math.isnan(x):
                continue
        per.setdefault(row.respondent, []).append(x)
    return float(np.mean([np.mean(v) for v in per.values()])) if per else math.nan


def summary(story: Story, rows: Sequence[Answer], managers: Sequence[Answer],
            table: Sequence[Sequence[str]]) -> list[str]:
    lines = [f"{story.stem}: {story.respondents} respondents, {len(rows)} rows, "
             f"{story.managers} managers"]
    for dim in DIMENSIONS:
        mine = [r for r in rows if r.dimension == dim]
        e, p, g, a = (respondent_mean(mine, v) for v in ("expectation", "perception", "gap", "adequate"))
        zone = "below" if p < a else "above" if p > e else "inside"
        gap1 = respondent_mean([m for m in managers if m.dimension == dim], "expectation") - e
        lines.append(f"  {story.label(dim):14} E {e:.2f}  P {p:.2f}  gap {g:+.2f}  adequate {a:.2f} "
                     f"({zone})  gap1 {gap1:+.2f}")
    lines.append("  touchpoints (gap; importance, performance):")
    for tp in story.touchpoints:
        mine = [r for r in rows if r.step == tp.step]
        per_dim = ", ".join(
            f"{story.label(d)} {respondent_mean([r for r in mine if r.dimension == d], 'gap'):+.2f}"
            for d in tp.dimensions)
        importance, performance = respondent_mean(mine, "expectation"), respondent_mean(mine, "perception")
        lines.append(f"    {tp.step:14} {respondent_mean(mine, 'gap'):+.2f} "
                     f"({importance:.2f}, {performance:.2f})  [{per_dim}]")
    recommend = [int(r[6]) for r in table if r[6]]
    satisfied = [int(r[7]) for r in table if r[7]]
    n = len(recommend)
    promoters = sum(x >= 9 for x in recommend) / n
    detractors = sum(x <= 6 for x in recommend) / n
    nps = 100 * (promoters - detractors)
    half = 196 * math.sqrt((promoters + detractors - (promoters - detractors) ** 2) / n)
    csat = 100 * sum(x >= 4 for x in satisfied) / len(satisfied)
    weights = np.array([[int(c) for c in r[1:6]] for r in table if r[1]])
    lines.append(f"  NPS {nps:+.0f} ± {half:.0f} (n {n}, {promoters:.0%} promoters, "
                 f"{detractors:.0%} detractors); CSAT {csat:.0f}% (n {len(satisfied)}); mean weights "
                 + "/".join(f"{w:.0f}" for w in weights.mean(axis=0)))
    blanks = sum(math.isnan(r.expectation) + math.isnan(r.perception) for r in rows) / (2 * len(rows))
    lines.append(f"  blank expectation or perception answers: {blanks:.1%}")
    return lines


def main() -> None:
    for k, story in enumerate(STORIES):
        rng = np.random.default_rng([SEED, k])
        rows = respondents_answers(story, rng)
        managers = managers_answers(story, rng)
        table = respondents_table(story, rows, rng)
        write_csv(HERE / f"{story.stem}.responses.csv", HEADER, answer_table(story, rows))
        write_csv(HERE / f"{story.stem}.respondents.csv", RESPONDENT_HEADER, table)
        write_csv(HERE / f"{story.stem}.management.csv", HEADER, answer_table(story, managers))
        print("\n".join(summary(story, rows, managers, table)))


if __name__ == "__main__":
    main()
