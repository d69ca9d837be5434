"""Steps of the journey, where they lead, and how they fail.

A step sits in one of the blueprint's four zones. Customer actions are what
the customer does; frontstage is what contact staff do in view of the
customer; backstage is what staff do out of sight; support is what other
systems and departments do for them. The lines between the zones (interaction,
visibility, internal interaction) are derived from where the steps are, never
written by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Discriminator,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from blueprint.model.base import IDENTIFIER_PATTERN, Identifier, Name, Strict, number_or_mapping
from blueprint.model.distributions import Duration
from blueprint.model.servqual import DIMENSIONS, DimensionName, DimensionTag, servqual_dimension

__all__ = [
    "DIMENSIONS",
    "END",
    "NOT_END",
    "ZONES",
    "Branch",
    "Dimension",
    "Evidence",
    "FailPoint",
    "Fork",
    "Next",
    "Promise",
    "Step",
    "Zone",
]

END = "end"
Zone = Literal["customer", "frontstage", "backstage", "support"]
ZONES: tuple[str, ...] = ("customer", "frontstage", "backstage", "support")
Dimension = DimensionName

Probability = Annotated[float, Field(ge=0, le=1)]
NOT_END: dict[str, Any] = {"not": {"const": END}}
"""JSON Schema for an id that names a step, never the end of the journey."""
StepTarget = Annotated[Identifier, WithJsonSchema({"type": "string", "pattern": IDENTIFIER_PATTERN,
                                                   **NOT_END})]


class Evidence(Strict):
    """A piece of physical evidence, with whether the customer keeps it (Booms & Bitner)."""

    name: str = Field(min_length=1, description="What the customer sees or touches.")
    kind: Literal["peripheral", "core"] = Field(
        "core",
        description="peripheral: the customer keeps it (ticket, receipt); core: they cannot own it "
        "(the building, the room).",
    )


def _evidence_shape(value: Any) -> str | None:
    if isinstance(value, str):
        return "text"
    return "object" if isinstance(value, dict | Evidence) else None


def _as_evidence(value: str | Evidence) -> Evidence:
    return Evidence(name=value, kind="core") if isinstance(value, str) else value


if TYPE_CHECKING:  # what a validated step holds: a bare name has become Evidence
    EvidenceItem = Evidence
else:
    EvidenceItem = Annotated[
        Annotated[Annotated[str, Field(min_length=1)], Tag("text")] | Annotated[Evidence, Tag("object")],
        Discriminator(
            _evidence_shape,
            custom_error_type="wrong-type",
            custom_error_message="a piece of evidence is a name or {name, kind}",
        ),
        AfterValidator(_as_evidence),
        Field(description="A name, or {name, kind}."),
    ]
"""Evidence as its name alone (kind core) or as {name, kind}."""


class Branch(Strict):
    """One way out of a step, taken with probability `p` (optionally per customer class)."""

    to: Identifier = Field(description="The step this branch leads to, or `end`.")
    p: number_or_mapping(  # type: ignore[valid-type]
        Probability, dict[str, Probability], "p is a probability or a mapping {class: probability}"
    ) | None = Field(
        None,
        description="Probability of this branch; a mapping gives it per customer class (a class "
        "not named gets 0). One branch may leave `p` out and takes the remainder.",
    )
    label: str | None = Field(None, description="What decides this branch, shown on the arrow.")


class Fork(Strict):
    """Parallel work: every branch is started; the step they all reach carries `join: all`."""

    all: list[StepTarget] = Field(min_length=2, description="Steps started in parallel.")


def _next_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "step"
    if isinstance(value, list):
        return "branches"
    if isinstance(value, dict | Fork):
        return "fork"
    return None


Next = Annotated[
    Annotated[Identifier, Tag("step")]
    | Annotated[list[Branch], Tag("branches"), Field(min_length=1)]
    | Annotated[Fork, Tag("fork")],
    Discriminator(
        _next_tag,
        custom_error_type="bad-next",
        custom_error_message="`next` is a step id, `end`, a list of {to, p} branches, or {all: [...]}",
    ),
]


def _has_effect(effect: str) -> dict[str, Any]:
    return {"properties": {"effect": {"const": effect}}, "required": ["effect"]}


def _only_with_effect(effect: str) -> dict[str, Any]:
    """JSON Schema: the key named like an effect is given with it and empty or absent without it."""
    return {"if": _has_effect(effect),
            "then": {"required": [effect], "properties": {effect: {"not": {"type": "null"}}}},
            "else": {"properties": {effect: {"type": "null"}}}}


class FailPoint(Strict):
    """A place the service is likely to fail (Shostack's F), and what happens when it does."""

    model_config = ConfigDict(json_schema_extra={"allOf": [
        *(_only_with_effect(effect) for effect in ("goto", "delay")),
        {"if": _has_effect("redo"), "then": {"properties": {"p": {"exclusiveMaximum": 1}}}},
    ]})

    id: Identifier = Field(description="Unique across the model.")
    name: str = Field(min_length=1, description="What goes wrong, in the customer's words.")
    effect: Literal["redo", "goto", "delay", "abandon"] = Field(
        description="redo: the step is repeated; goto: jump to another step; delay: extra time; "
        "abandon: the customer is lost."
    )
    p: float = Field(gt=0, le=1, description="Probability it fires after each service at the step.")
    goto: Identifier | None = Field(None, description="With effect goto: the step to go back to.",
                                    json_schema_extra=NOT_END)
    delay: Duration | None = Field(None, description="With effect delay: the extra time.")
    recovery: str | None = Field(
        None, description="How staff recover the customer when this happens (service recovery)."
    )
    complaint: Probability = Field(
        0.0, description="Share of the customers it hits who complain (docs/loyalty.md).")
    omission: bool = Field(
        False, description="In a complaint-handling model: when this fires, the complaint was not "
                           "recorded or handled — it counts in the linking model's omission rate.")

    @model_validator(mode="after")
    def _effect_has_its_parameter(self) -> FailPoint:
        if self.effect == "goto" and self.goto is None:
            raise PydanticCustomError("missing-key", "effect 'goto' needs `goto: STEP`")
        if self.effect == "delay" and self.delay is None:
            raise PydanticCustomError("missing-key", "effect 'delay' needs `delay: DURATION`")
        if self.effect != "goto" and self.goto is not None:
            raise PydanticCustomError("bad-value", "`goto` only goes with effect 'goto'")
        if self.effect != "delay" and self.delay is not None:
            raise PydanticCustomError("bad-value", "`delay` only goes with effect 'delay'")
        return self

    @field_validator("p")
    @classmethod
    def _redo_can_end(cls, p: float, info: ValidationInfo) -> float:
        if info.data.get("effect") == "redo" and p >= 1:
            raise PydanticCustomError(
                "endless-loop", "a redo that always fires never lets the customer go: p must be < 1"
            )
        return p


class Promise(Strict):
    """What marketing tells customers about this step: "served within 5 minutes".

    The service gap 4 (communication) compares it with the delivery: the
    share of customers reaching the step who start within `within` — those
    who leave unserved count as promises broken, as for `tolerance`.
    """

    within: NonNegativeFloat = Field(description="The promised longest wait before this step (time_unit).")
    share: Probability = Field(1.0, description="The share of customers it is promised to (default all).")
    says: str | None = Field(None, description="The promise in the customer's words, as advertised.")


class Step(Strict):
    """One step of the service, in one zone, optionally using a resource."""

    id: Identifier = Field(description="Unique step id; `end` is reserved.",
                           json_schema_extra=NOT_END)
    zone: Zone = Field(description="customer | frontstage | backstage | support.")
    name: str | None = Field(None, description="What happens, as the diagram shows it.")
    description: str | None = Field(None, description="Longer notes for the reader.")
    phase: Name | None = Field(None, description="Journey stage (one of `phases`).")
    actor: Name | None = Field(None, description="Who does it (one of `actors` of this zone).")
    evidence: list[EvidenceItem] = Field(
        default_factory=list, description="Physical evidence the customer sees at this step."
    )
    resource: Identifier | None = Field(None, description="Resource a unit of which is held.")
    duration: Duration | None = Field(None, description="How long the step takes (time_unit).")
    standard: NonNegativeFloat | None = Field(
        None, description="Execution standard: target duration of the step (time_unit)."
    )
    tolerance: NonNegativeFloat | None = Field(
        None, description="Longest wait customers accept before this step (time_unit)."
    )
    wait_point: bool = Field(False, description="W: the wait here may exceed the standard.")
    dimensions: list[DimensionTag] = Field(
        default_factory=list,
        description="SERVQUAL dimensions tested at this moment of truth (the five, the original "
        "ten, or their Chinese names).",
    )
    promise: Promise | None = Field(
        None, description="What the firm tells customers about the wait here (gap 4)."
    )
    patience: Duration | None = Field(None, description="Overrides demand.patience at this step.")
    balk_at: NonNegativeInt | None = Field(None, description="Overrides demand.balk_at here.")
    fail_points: list[FailPoint] = Field(default_factory=list, description="Fail points (F).")
    material_cost: NonNegativeFloat = Field(
        0.0, description="Materials used per visit (forms, parts, food): for profit per customer."
    )
    next: Next | None = Field(
        None, description="Where customers go next; defaults to the step listed below."
    )
    join: Literal["all"] | None = Field(
        None, description="`all`: wait here until every branch of the fork has arrived."
    )

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value == END:
            raise PydanticCustomError("bad-id", "`end` is reserved for the end of the journey")
        return value

    @property
    def servqual(self) -> list[str]:
        """The five-dimension names of :attr:`dimensions`, each once, in SERVQUAL's order."""
        mine = {servqual_dimension(tag) for tag in self.dimensions}
        return [d for d in DIMENSIONS if d in mine]

    @property
    def label(self) -> str:
        return self.name or self.id.replace("_", " ")
