"""Extraction: from a read document to the plan's header and targets."""

from qa_pipeline.extract.plan import extract_plan

__all__ = ["extract_plan"]
