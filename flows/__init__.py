"""Prefect flows: they sequence qa_pipeline's library functions and hold no QA logic."""
