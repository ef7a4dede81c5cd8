"""The one call into datamodel-code-generator, with the options every package is made with."""

from __future__ import annotations

import warnings
from typing import Any


def run(subset: dict[str, Any], aliases: dict[str, str] | None = None) -> str:
    """The models source the library writes for ``subset`` (an OpenAPI document), unformatted;
    ``aliases`` names the fields of the properties it lists (see :func:`.names.field_aliases`).
    """
    # Imported here: the library takes ~0.5 s to import and only `generate` needs it.
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = generate(
            subset,
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            extra_fields="allow",
            field_constraints=True,
            # A property an `allOf` part redeclares must satisfy every part (JSON Schema), not
            # the last one, and its type is then one every base class agrees with.
            intersect_allof_keywords=True,
            use_annotated=True,
            strict_nullable=True,
            disable_timestamp=True,
            use_schema_description=True,
            use_field_description=True,
            use_double_quotes=True,
            allow_population_by_field_name=True,
            snake_case_field=True,
            capitalise_enum_members=True,
            use_standard_collections=True,
            # pydantic's EmailStr needs the email-validator package, and a generated client
            # depends on httpx and pydantic alone: an email address is a string.
            type_mappings=["email=string"],
            # `type: [object, "null"]` with `additionalProperties: {$ref: X}` is a map of X that
            # may be null: `dict[str, X] | None`, not the `dict[str, Any] | None` of old.
            use_typed_nullable_map_values=True,
            # No formatting here: emit.py formats every generated file in one ruff run anyway,
            # and black + isort inside the library cost more than the rest of its work.
            formatters=[],
            aliases=aliases,
        )
    if not isinstance(result, str):
        raise TypeError(f"datamodel-code-generator returned {type(result).__name__}, not source")
    return _strip_banner(result)


def _strip_banner(source: str) -> str:
    lines = source.splitlines(keepends=True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)


def warm_up() -> None:
    """Import the library now, for a caller with time to spare (waiting on another process)."""
    import datamodel_code_generator.parser.openapi  # noqa: F401 - imported for its cost
