"""Exceptions that carry a clear, one-line message for the user."""


class CoprodError(Exception):
    """Base class of every error coprod-nlp raises on purpose; its message is user-facing."""


class IngestError(CoprodError):
    """A file could not be read as a document (missing, corrupt, encrypted, unsupported...)."""


class ModelError(CoprodError):
    """A model file is missing, tampered with, or incompatible."""


class DataError(CoprodError):
    """Labelled data (a corpus or a gold file) is malformed or holds unknown labels."""
