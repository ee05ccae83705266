"""Values the USWDS component tags draw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BUTTON_STYLES = ("", "secondary", "accent-cool", "base", "outline", "unstyled")


@dataclass(frozen=True)
class Button:
    """A link styled as a button (``url``), or a submit button (``name``/``value`` optional)."""

    label: str
    url: str = ""
    style: str = ""
    name: str = ""
    value: str = ""
    form: str = ""

    def __post_init__(self) -> None:
        if self.style not in BUTTON_STYLES:
            raise ValueError(f"button style must be one of {BUTTON_STYLES}, not {self.style!r}")

    @property
    def css_class(self) -> str:
        return f"usa-button usa-button--{self.style}" if self.style else "usa-button"


@dataclass(frozen=True)
class Step:
    label: str
    status: str  # "complete", "current" or "" (not yet)


def steps_with_status(labels: Sequence[str], current: int) -> list[Step]:
    return [
        Step(label, "complete" if index < current else "current" if index == current else "")
        for index, label in enumerate(labels)
    ]
