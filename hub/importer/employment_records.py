"""Exchange-format kind ``employment``: a person works for a department or an enterprise,
dated (``WORKS_FOR {from, to, publicServant}``). The public-servant measures read the
employment held on a check's asOf (hub/rules/employment.py)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from hub.importer.fields import Code, Flag, IdNumber, Text, Uscc
from hub.importer.records import Ref, _Dated, digest


class EmploymentRecord(_Dated):
    """``{"kind": "employment", "idNumber", "department" | "uscc", "from", "to",
    "publicServant", "title"}``: exactly one employer."""

    kind: Literal["employment"]
    id_number: IdNumber
    department: Code | None = None
    uscc: Uscc | None = Field(default=None, validate_default=True)
    public_servant: Flag = False
    title: Text | None = None

    @field_validator("uscc")
    @classmethod
    def _one_employer(cls, value: str | None, info: ValidationInfo) -> str | None:
        if "department" not in info.data:
            return value  # the department itself failed and is reported there, alone
        if (info.data["department"] is None) == (value is None):
            raise PydanticCustomError("employer", "give exactly one of department or uscc")
        return value

    @property
    def employer(self) -> tuple[str, str]:
        if self.department is not None:
            return ("Department", self.department)
        assert self.uscc is not None  # noqa: S101 - guaranteed by the validator
        return ("Enterprise", self.uscc)

    def key(self) -> str:
        return digest("employment", self.id_number, *self.employer, self.valid_from)

    def key_field(self) -> str:
        return "idNumber+" + ("department" if self.department else "uscc") + "+from"

    def identity(self) -> tuple[str, Hashable]:
        return (self.kind, (self.id_number, *self.employer, self.valid_from))

    def refs(self) -> list[Ref]:
        label, key = self.employer
        field = "department" if label == "Department" else "uscc"
        return [("idNumber", "Person", self.id_number), (field, label, key)]

    def row(self) -> dict[str, Any]:
        label, key = self.employer
        return {
            "key": self.key(),
            "holder": self.id_number,
            "employerLabel": label,
            "employer": key,
            "props": {
                "publicServant": self.public_servant,
                "title": self.title,
                "from": self.valid_from,
                "to": self.valid_to,
            },
        }
