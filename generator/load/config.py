"""Which specs become which packages: the ``[tool.generator]`` table of ``pyproject.toml``.

```toml
[[tool.generator.apis]]
spec = "specs/acme.yaml"          # the hand-written OpenAPI document
package = "acme"                  # import name of the generated package
output = "generated/acme"         # where it is written
env_prefix = "ACME"               # ACME_API_KEY, ACME_BASE_URL
strict = false                    # a spec someone else wrote: repair what can be, with warnings
overlays = ["specs/acme.overlay.yaml"]  # OpenAPI Overlays applied in order before validation
```
``strict`` may also be set once for every API, in ``[tool.generator]`` itself; it is true by
default (every mistake an error), as our own specs need.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..naming import class_name


@dataclass(frozen=True)
class ApiConfig:
    """One spec -> package mapping."""

    spec: Path
    package: str
    output: Path
    env_prefix: str
    client_name: str
    strict: bool = True
    # OpenAPI Overlay documents applied to the spec, in order, before anything reads it.
    overlays: tuple[Path, ...] = ()


class ConfigError(Exception):
    """``pyproject.toml`` lacks or misstates the ``[tool.generator]`` table."""


def api_config(
    spec: Path,
    package: str,
    output: Path,
    env_prefix: str | None = None,
    *,
    strict: bool = False,
    overlays: tuple[Path, ...] = (),
) -> ApiConfig:
    """An :class:`ApiConfig` with the conventional defaults filled in."""
    return ApiConfig(
        spec=spec,
        package=package,
        output=output,
        env_prefix=env_prefix or package.upper(),
        client_name=class_name(package) + "Client",
        strict=strict,
        overlays=overlays,
    )


def read_config(root: Path) -> list[ApiConfig]:
    """Every API configured in ``root/pyproject.toml``, paths resolved against ``root``."""
    try:
        table = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["generator"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"{root / 'pyproject.toml'}: no usable [tool.generator] table ({exc})"
        ) from None
    configs = []
    strict = table.get("strict", True)
    for entry in table.get("apis", []):
        try:
            configs.append(
                api_config(
                    spec=root / entry["spec"],
                    package=entry["package"],
                    output=root / entry["output"],
                    env_prefix=entry.get("env_prefix"),
                    strict=entry.get("strict", strict),
                    overlays=tuple(root / o for o in entry.get("overlays", [])),
                )
            )
        except KeyError as exc:
            raise ConfigError(f"[[tool.generator.apis]] entry lacks {exc}") from None
    return sorted(configs, key=lambda c: c.package)
