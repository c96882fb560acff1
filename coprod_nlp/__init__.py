"""coprod-nlp: measure how far co-production is embedded in public-service documents."""

__version__ = "0.1.0"
