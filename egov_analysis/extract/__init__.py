"""Indicator extraction: the rule engine and its readable rule tables."""

from .engine import extract_article

__all__ = ["extract_article"]
