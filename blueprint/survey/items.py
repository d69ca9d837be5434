"""The wording of the questions: a statement per dimension at a touchpoint, and the 22 items.

SERVQUAL asks each thing twice, on the same 7-point agreement scale: what an
excellent provider of the service would do (expectation), and what this one
did (perception). The statements here are our own wording of what each
dimension covers and of the content of the 22 items of Parasuraman, Zeithaml
and Berry (1988, 1991): 4 on tangibles, 5 on reliability, 4 on responsiveness,
4 on assurance and 5 on empathy. A model written in Chinese gets Chinese
statements.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ITEMS_PER_DIMENSION", "SCALE_WORDS", "TOUCHPOINT_STATEMENTS", "TWENTY_TWO", "Item"]


@dataclass(frozen=True)
class Item:
    """One item of the model-wide form: its dimension and its two statements, per language."""

    number: int
    dimension: str
    expectation: dict[str, str]
    perception: dict[str, str]


SCALE_WORDS: dict[str, tuple[str, str]] = {
    "en": ("strongly disagree", "strongly agree"),
    "zh": ("非常不同意", "非常同意"),
}
"""The words at the two ends of the agreement scale."""

# At a touchpoint, per dimension: {step} is the step's name as the customer knows it.
TOUCHPOINT_STATEMENTS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "tangibles": (
            "At “{step}”, an excellent provider has facilities, equipment and materials that look "
            "right and are easy to use.",
            "At “{step}”, the facilities, equipment and materials looked right and were easy to use.",
        ),
        "reliability": (
            "At “{step}”, an excellent provider gets it right the first time, as promised.",
            "At “{step}”, they got it right the first time, as promised.",
        ),
        "responsiveness": (
            "At “{step}”, an excellent provider serves customers promptly and is never too busy "
            "to help.",
            "At “{step}”, I was served promptly, and staff were never too busy to help.",
        ),
        "assurance": (
            "At “{step}”, an excellent provider's staff are courteous and competent, and customers "
            "feel safe in their hands.",
            "At “{step}”, the staff were courteous and competent, and I felt safe in their hands.",
        ),
        "empathy": (
            "At “{step}”, an excellent provider gives each customer individual attention and "
            "understands their needs.",
            "At “{step}”, I was given individual attention, and my needs were understood.",
        ),
    },
    "zh": {
        "tangibles": ("在“{step}”环节，优秀的服务商设施、设备和资料外观得体、方便使用。",
                      "在“{step}”环节，这里的设施、设备和资料外观得体、方便使用。"),
        "reliability": ("在“{step}”环节，优秀的服务商一次就把事情做对，说到做到。",
                        "在“{step}”环节，他们一次就把事情做对，说到做到。"),
        "responsiveness": ("在“{step}”环节，优秀的服务商及时为顾客服务，再忙也乐于帮忙。",
                           "在“{step}”环节，我得到了及时的服务，员工再忙也乐于帮忙。"),
        "assurance": ("在“{step}”环节，优秀的服务商员工礼貌、专业，让顾客放心。",
                      "在“{step}”环节，员工礼貌、专业，让我放心。"),
        "empathy": ("在“{step}”环节，优秀的服务商给每位顾客个别的关注，理解顾客的需要。",
                    "在“{step}”环节，我得到了个别的关注，我的需要被理解了。"),
    },
}

ITEMS_PER_DIMENSION: dict[str, int] = {
    "tangibles": 4, "reliability": 5, "responsiveness": 4, "assurance": 4, "empathy": 5,
}
"""How the 22 items fall over the five dimensions (4/5/4/4/5)."""

# (dimension, expectation en, perception en, expectation zh, perception zh)
_WORDING: tuple[tuple[str, str, str, str, str], ...] = (
    ("tangibles", "Excellent providers have up-to-date equipment.",
     "They have up-to-date equipment.",
     "优秀的服务商拥有现代化的设备。", "他们拥有现代化的设备。"),
    ("tangibles", "Excellent providers' premises are visually appealing.",
     "Their premises are visually appealing.",
     "优秀的服务商的场所外观吸引人。", "他们的场所外观吸引人。"),
    ("tangibles", "Excellent providers' staff look neat and professional.",
     "Their staff look neat and professional.",
     "优秀的服务商的员工衣着整洁、得体。", "他们的员工衣着整洁、得体。"),
    ("tangibles", "Excellent providers' leaflets, forms and statements are clear and look good.",
     "Their leaflets, forms and statements are clear and look good.",
     "优秀的服务商的宣传资料、表单和单据清楚美观。", "他们的宣传资料、表单和单据清楚美观。"),
    ("reliability", "When excellent providers promise to do something by a certain time, they do.",
     "When they promise to do something by a certain time, they do.",
     "优秀的服务商承诺在某个时间做到的事，就会按时做到。", "他们承诺在某个时间做到的事，就会按时做到。"),
    ("reliability", "When a customer has a problem, excellent providers show a sincere interest in "
     "solving it.", "When I had a problem, they showed a sincere interest in solving it.",
     "顾客遇到问题时，优秀的服务商真诚地帮助解决。", "我遇到问题时，他们真诚地帮助解决。"),
    ("reliability", "Excellent providers get the service right the first time.",
     "They get the service right the first time.",
     "优秀的服务商第一次就把服务做对。", "他们第一次就把服务做对。"),
    ("reliability", "Excellent providers deliver their services at the time they promise.",
     "They deliver their services at the time they promise.",
     "优秀的服务商在承诺的时间提供服务。", "他们在承诺的时间提供服务。"),
    ("reliability", "Excellent providers keep error-free records.",
     "They keep error-free records.",
     "优秀的服务商的记录准确无误。", "他们的记录准确无误。"),
    ("responsiveness", "Excellent providers tell customers exactly when things will be done.",
     "They tell me exactly when things will be done.",
     "优秀的服务商会明确告诉顾客何时完成服务。", "他们会明确告诉我何时完成服务。"),
    ("responsiveness", "Excellent providers' staff give prompt service.",
     "Their staff give me prompt service.",
     "优秀的服务商的员工提供及时的服务。", "他们的员工为我提供及时的服务。"),
    ("responsiveness", "Excellent providers' staff are always willing to help customers.",
     "Their staff are always willing to help me.",
     "优秀的服务商的员工总是乐于帮助顾客。", "他们的员工总是乐于帮助我。"),
    ("responsiveness", "Excellent providers' staff are never too busy to respond to requests.",
     "Their staff are never too busy to respond to my requests.",
     "优秀的服务商的员工再忙也会回应顾客的请求。", "他们的员工再忙也会回应我的请求。"),
    ("assurance", "The behaviour of excellent providers' staff instils confidence.",
     "The behaviour of their staff instils confidence in me.",
     "优秀的服务商的员工的言行让顾客信任。", "他们员工的言行让我信任。"),
    ("assurance", "Customers of excellent providers feel safe in their transactions.",
     "I feel safe in my transactions with them.",
     "在优秀的服务商办理业务让顾客感到安全。", "在他们那里办理业务让我感到安全。"),
    ("assurance", "Excellent providers' staff are consistently courteous.",
     "Their staff are consistently courteous with me.",
     "优秀的服务商的员工始终彬彬有礼。", "他们的员工对我始终彬彬有礼。"),
    ("assurance", "Excellent providers' staff have the knowledge to answer customers' questions.",
     "Their staff have the knowledge to answer my questions.",
     "优秀的服务商的员工有足够的知识回答顾客的问题。", "他们的员工有足够的知识回答我的问题。"),
    ("empathy", "Excellent providers give customers individual attention.",
     "They give me individual attention.",
     "优秀的服务商给予顾客个别的关注。", "他们给予我个别的关注。"),
    ("empathy", "Excellent providers have opening hours convenient to all their customers.",
     "Their opening hours are convenient to me.",
     "优秀的服务商的营业时间方便所有顾客。", "他们的营业时间对我很方便。"),
    ("empathy", "Excellent providers' staff give customers personal attention.",
     "Their staff give me personal attention.",
     "优秀的服务商的员工给予顾客贴心的照顾。", "他们的员工给予我贴心的照顾。"),
    ("empathy", "Excellent providers have their customers' best interests at heart.",
     "They have my best interests at heart.",
     "优秀的服务商把顾客的利益放在心上。", "他们把我的利益放在心上。"),
    ("empathy", "Excellent providers' staff understand their customers' specific needs.",
     "Their staff understand my specific needs.",
     "优秀的服务商的员工了解顾客的具体需要。", "他们的员工了解我的具体需要。"),
)

TWENTY_TWO: tuple[Item, ...] = tuple(
    Item(n, dim, {"en": e_en, "zh": e_zh}, {"en": p_en, "zh": p_zh})
    for n, (dim, e_en, p_en, e_zh, p_zh) in enumerate(_WORDING, start=1)
)
"""The model-wide form: 22 items over the five dimensions, in SERVQUAL's order."""
