"""The one call into datamodel-code-generator, with the options every package is made with."""

from __future__ import annotations

import warnings
from typing import Any

# Formats typed as their JSON type, because their Python type would change the value:
TYPE_MAPPINGS = [
    # pydantic's EmailStr needs the email-validator package, and a generated client depends
    # on httpx and pydantic alone: an email address is a string.
    "email=string",
    "idn-email=string",
    # Base64Str decodes to text (binary data fails), SecretStr writes "**********", Path drops
    # a trailing slash, ULID needs a package of its own: each is kept as the string it is.
    "byte=string",
    "password=string",
    "path=string",
    "ulid=string",
    # A network is written back in its shortest form (10.0.0.0/255.0.0.0 as 10.0.0.0/8).
    "ipv4-network=string",
    "ipv6-network=string",
    # Numbers stay numbers: a Decimal is written as a string, a date-time as ISO text.
    "number+decimal=number",
    "integer+date-time=integer",
    "number+date-time=number",
    "number+time=number",
    "number+time-delta=number",
    # and text stays text: `format: integer` on a string would make "012" the number 12.
    "string+integer=string",
    "string+unixtime=string",
    "number+unixtime=number",
]
# The library's names for the types of formats, each replaced by the runtime's of that name.
FORMAT_TYPES = (
    "AnyUrl",
    "AwareDatetime",
    "NaiveDatetime",
    "UUID",
    *("UUID1", "UUID3", "UUID4", "UUID5"),
    "Decimal",
    "IPv6Address",
    "time",
    "timedelta",
)


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
            type_mappings=TYPE_MAPPINGS,
            # The types of formats pydantic would write back rewritten: the runtime's, which
            # write back the text received (see runtime/_formats.py).
            import_overrides={
                **dict.fromkeys(FORMAT_TYPES, "._formats"),
                # pydantic's classes with the schema built on first use: a large API's models
                # would otherwise build thousands of validators on import (_model_base.py).
                **dict.fromkeys(("BaseModel", "RootModel"), "._model_base"),
            },
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
