"""Scoring: every target against the rubric's criteria, with confidence and reasons."""
