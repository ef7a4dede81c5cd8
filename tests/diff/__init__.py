"""Tests of the spec-diff tool (``generator/diff``)."""
