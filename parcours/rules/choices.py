"""One pattern for the enumerations of the rules: a value and its French label, together.

    class ComplianceStatus(Choices):
        A_JOUR = "a_jour", "À jour"
        EN_RETARD = "en_retard", "En retard"

Members are strings (`ComplianceStatus.A_JOUR == "a_jour"`), carry `.label`, and the class
offers `.choices`, `.values` and `.labels` like Django's `TextChoices`, so a model field takes
`choices=ComplianceStatus.choices` while the rules stay free of Django.
"""

from __future__ import annotations

from enum import EnumType, StrEnum, nonmember
from typing import Any


class _ChoicesType(EnumType):
    def _members(cls) -> list[Choices]:
        return list(cls.__members__.values())

    @property
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls._members()]

    @property
    def values(cls) -> list[str]:
        return [member.value for member in cls._members()]

    @property
    def labels(cls) -> list[str]:
        return [member.label for member in cls._members()]


class Choices(StrEnum, metaclass=_ChoicesType):
    label: str
    # Like Django's TextChoices: a template reading the class does not call it.
    do_not_call_in_templates = nonmember(True)

    def __new__(cls, value: str, label: str = "") -> Any:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def label_of(cls, value: str, default: str = "") -> str:
        """The label of a stored value; `default` for an unknown or empty one."""
        try:
            return cls(value).label
        except ValueError:
            return default
