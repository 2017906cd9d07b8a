"""egov-analysis: sourced e-government indicators from Vietnamese news articles.

Pipeline: raw -> clean -> indicators -> comparisons -> reports.
"""

__version__ = "0.1.0"
