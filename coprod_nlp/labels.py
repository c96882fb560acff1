"""The label scheme: the single source of truth for every label name in coprod-nlp.

Follows the project codebook: six principles of co-production (multi-label), one rung of the
ladder of co-production (ordinal), a mode (rhetoric or practice) and a level (individual,
service or strategic). Every other module imports its label names from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import DataError

NONE = "none"


@dataclass(frozen=True)
class Label:
    """One label value: its machine name, display name and a short definition."""

    name: str
    display: str
    definition: str


PRINCIPLE_LABELS: tuple[Label, ...] = (
    Label("assets", "Recognising people as assets",
          "people who use services, carers and communities treated as equal partners with "
          "knowledge and lived experience of value, not as passive recipients"),
    Label("capabilities", "Building on people's capabilities",
          "building and developing people's abilities: training, support, confidence and "
          "capacity to take part; strengths-based approaches"),
    Label("reciprocity", "Reciprocity and mutuality",
          "two-way relationships where something flows back to people: payment, expenses, "
          "recognition, mutual benefit, being told what changed because of them"),
    Label("peer_support", "Peer support networks",
          "peer and personal networks valued and built: peer support, peer workers, user-led "
          "groups, mutual aid, community networks"),
    Label("blurring_roles", "Blurring roles",
          "the line between those who deliver and those who receive services blurred: people "
          "with lived experience designing, delivering, governing or evaluating alongside staff"),
    Label("facilitating", "Facilitating rather than delivering",
          "the organisation enables people and communities to act themselves: funding, handing "
          "over resources or control, supporting community-led action"),
)

RUNG_LABELS: tuple[Label, ...] = (
    Label(NONE, "None", "no relationship with people who use services is described"),
    Label("coercion", "Coercion",
          "people present only as passive recipients; views not sought or ignored; decisions imposed"),
    Label("educating", "Educating",
          "helping people understand and accept a service or decision already set"),
    Label("informing", "Informing",
          "telling people about services and decisions taken: newsletters, updates, leaflets"),
    Label("consultation", "Consultation",
          "asking for views while the organisation alone decides: surveys, consultations, feedback"),
    Label("engagement", "Engagement",
          "ongoing involvement with some influence while the organisation keeps the decisions: "
          "panels, advisory groups, a lone lay seat"),
    Label("co_design", "Co-design",
          "people with lived experience design services or plans together with staff, without "
          "equal power over delivery, decisions and evaluation"),
    Label("co_production", "Co-production",
          "equal partnership with shared power across design, delivery, decisions and evaluation; "
          "community control"),
)

MODE_LABELS: tuple[Label, ...] = (
    Label(NONE, "None", "the sentence describes no relationship (rung none)"),
    Label("rhetoric", "Rhetoric", "values, aspirations or general commitments with no concrete mechanism"),
    Label("practice", "Practice",
          "a concrete mechanism, structure, activity, resource or result (who, which body, what, "
          "when, how many, what budget, what changed)"),
)

LEVEL_LABELS: tuple[Label, ...] = (
    Label(NONE, "None", "the sentence describes no relationship (rung none)"),
    Label("individual", "Individual", "a person's own care, treatment or support"),
    Label("service", "Service", "the design, delivery, improvement or evaluation of a service or project"),
    Label("strategic", "Strategic",
          "governance and the organisation as a whole: board, strategy, commissioning, budgets, culture"),
)

PRINCIPLES: tuple[str, ...] = tuple(label.name for label in PRINCIPLE_LABELS)
RUNGS: tuple[str, ...] = tuple(label.name for label in RUNG_LABELS)
MODES: tuple[str, ...] = tuple(label.name for label in MODE_LABELS)
LEVELS: tuple[str, ...] = tuple(label.name for label in LEVEL_LABELS)

#: Position of each rung on the ladder: none=0, coercion=1 ... co_production=7.
RUNG_ORDER: dict[str, int] = {name: i for i, name in enumerate(RUNGS)}

#: The ladder's three groups (Think Local Act Personal).
RUNG_GROUPS: dict[str, tuple[str, ...]] = {
    "doing_to": ("coercion", "educating"),
    "doing_for": ("informing", "consultation", "engagement"),
    "doing_with": ("co_design", "co_production"),
}
GROUP_OF_RUNG: dict[str, str] = {r: g for g, rungs in RUNG_GROUPS.items() for r in rungs}

#: The single-choice heads and their allowed values.
HEADS: dict[str, tuple[str, ...]] = {"rung": RUNGS, "mode": MODES, "level": LEVELS}

DISPLAY: dict[str, str] = {
    label.name: label.display
    for group in (PRINCIPLE_LABELS, RUNG_LABELS, MODE_LABELS, LEVEL_LABELS)
    for label in group
}
DEFINITIONS: dict[str, dict[str, str]] = {
    "principles": {label.name: label.definition for label in PRINCIPLE_LABELS},
    "rung": {label.name: label.definition for label in RUNG_LABELS},
    "mode": {label.name: label.definition for label in MODE_LABELS},
    "level": {label.name: label.definition for label in LEVEL_LABELS},
}


class LabelError(DataError, ValueError):
    """A label value that is not in the scheme."""


def rung_index(rung: str) -> int:
    """Return the ladder position of ``rung`` (0 for ``none``, 7 for ``co_production``)."""
    try:
        return RUNG_ORDER[rung]
    except KeyError:
        raise LabelError(f"unknown rung {rung!r}; valid rungs: {', '.join(RUNGS)}") from None


def validate_labels(principles: list[str], rung: str, mode: str, level: str) -> list[str]:
    """Return a list of problems with one sentence's labels (empty when they are valid).

    Checks every value against the scheme and the codebook's consistency rule: ``mode`` and
    ``level`` are ``none`` exactly when ``rung`` is ``none``.
    """
    problems = []
    if not isinstance(principles, (list, tuple)):
        problems.append(f"principles must be a list, got {type(principles).__name__}")
        principles = []
    for p in principles:
        if p not in PRINCIPLES:
            problems.append(f"unknown principle {p!r} (valid: {', '.join(PRINCIPLES)})")
    if len(set(principles)) != len(principles):
        problems.append("principles repeat a label")
    for head, value in (("rung", rung), ("mode", mode), ("level", level)):
        if value not in HEADS[head]:
            problems.append(f"unknown {head} {value!r} (valid: {', '.join(HEADS[head])})")
    if not problems:
        if rung == NONE and (mode != NONE or level != NONE):
            problems.append("rung is 'none' but mode/level are not 'none'")
        if rung != NONE and (mode == NONE or level == NONE):
            problems.append(f"rung is {rung!r} but mode or level is 'none'")
    return problems
