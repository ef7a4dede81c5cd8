"""Code that calls each generated client the way its README and the vendor's docs do.

Each module is what a user writes: dict literals for nested objects, tuples for lists, models
or request TypedDicts where they fit, text for UUIDs and date-times. ``test_callers`` holds
them to ``mypy --strict`` and runs them against Prism serving each spec.
"""
