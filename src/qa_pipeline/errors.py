"""The project's errors: bad input (the school or expert can fix it) versus bugs.

Library errors are translated at the reader boundary into :class:`PlanInputError`
subclasses, each with a stable ``code`` recorded in the plan's result and a message a
SENCo can act on. Anything else that escapes is a bug and is reported as such.
"""

from __future__ import annotations


class QAPipelineError(Exception):
    """Base class of every error the pipeline raises on purpose."""


class ConfigError(QAPipelineError):
    """A rubric, framework, calendar or synonyms file is invalid."""


class PlanInputError(QAPipelineError):
    """The plan file cannot be used; ``code`` goes into the result."""

    code = "bad_input"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedFormat(PlanInputError):
    code = "unsupported_format"


class CorruptFile(PlanInputError):
    code = "corrupt_file"


class EmptyFile(PlanInputError):
    code = "empty_file"


class EncryptedFile(PlanInputError):
    code = "encrypted"


class ScannedPdf(PlanInputError):
    code = "scanned_pdf"


class TooLarge(PlanInputError):
    code = "too_large"


class NoTargets(PlanInputError):
    code = "no_targets"


class SelfEvaluationError(QAPipelineError):
    """The self-evaluation export cannot be read; the batch still runs without it."""
