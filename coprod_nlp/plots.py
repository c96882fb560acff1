"""Matplotlib figures of a profile: the ladder (claimed against practised), principle coverage,
and the level mix. Each function returns a ``matplotlib.figure.Figure``."""

from __future__ import annotations

from matplotlib.figure import Figure

from .labels import DISPLAY, GROUP_OF_RUNG, PRINCIPLES, RUNG_ORDER, RUNGS
from .profile import LEVEL_NAMES, Profile

CLAIMED, PRACTISED = "#b35806", "#2d5f8b"  # colour-blind-safe orange and blue
GROUP_COLOURS = {"doing_to": "#f3e0e0", "doing_for": "#f4f1de", "doing_with": "#e0f0e3"}


def _figure(width: float = 6.0, height: float = 4.0) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def ladder(profile: Profile) -> Figure:
    """Sentences per rung, claimed (rhetoric) beside practised, with the top rungs marked."""
    fig, ax = _figure()
    rungs = [r for r in RUNGS if r != "none"]
    y = range(len(rungs))
    claimed = [profile.rung_counts["rhetoric"][r] for r in rungs]
    practised = [profile.rung_counts["practice"][r] for r in rungs]
    for i, r in enumerate(rungs):
        ax.axhspan(i - 0.5, i + 0.5, color=GROUP_COLOURS[GROUP_OF_RUNG[r]], zorder=0)
    ax.barh([i + 0.2 for i in y], claimed, height=0.4, color=CLAIMED, label="claimed (rhetoric)")
    ax.barh([i - 0.2 for i in y], practised, height=0.4, color=PRACTISED, label="practised")
    ax.set_yticks(list(y), [DISPLAY[r] for r in rungs])
    for top, colour, style in ((profile.claimed_top_rung, CLAIMED, "--"), (profile.practised_top_rung, PRACTISED, ":")):
        if top != "none":
            ax.axhline(RUNG_ORDER[top] - 1, color=colour, linestyle=style, linewidth=1)
    ax.set_xlabel("sentences")
    ax.set_title(f"Ladder of co-production: {profile.name}", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    return fig


def principles(profile: Profile) -> Figure:
    """Share of sentences showing each of the six principles."""
    fig, ax = _figure(6.0, 3.2)
    shares = [100 * profile.principles[p]["share"] for p in PRINCIPLES]
    ax.barh(range(len(PRINCIPLES)), shares, color=PRACTISED)
    ax.set_yticks(range(len(PRINCIPLES)), [DISPLAY[p] for p in PRINCIPLES])
    ax.invert_yaxis()
    ax.set_xlabel("% of sentences")
    ax.set_title(f"Principles ({profile.principles_present} of 6 present): {profile.name}", fontsize=10)
    return fig


def levels(profile: Profile) -> Figure:
    """Where involvement appears: individual, service, strategic."""
    fig, ax = _figure(6.0, 2.6)
    shares = [100 * profile.levels[lv]["share"] for lv in LEVEL_NAMES]
    ax.barh(range(3), shares, color=["#7fbf7b", "#5aae61", "#1b7837"])
    ax.set_yticks(range(3), [DISPLAY[lv] for lv in LEVEL_NAMES])
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of involvement sentences")
    ax.set_title(f"Levels: {profile.name}", fontsize=10)
    return fig
