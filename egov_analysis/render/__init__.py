"""Executed notebook -> HTML and PDF reports.

``execute_notebook`` runs a parameterized notebook with papermill (fresh kernel per report),
``export_html`` turns it into one offline HTML page with a title block and contents, and
``PdfPrinter`` prints such pages to A4 PDFs with one reused headless Chromium.
Heavy imports (papermill, nbconvert, playwright) happen on first use.
"""

from egov_analysis.render.execute import KERNEL_NAME, execute_notebook
from egov_analysis.render.html import export_html, find_network_references
from egov_analysis.render.pdf import PdfPrinter

__all__ = ["KERNEL_NAME", "PdfPrinter", "execute_notebook", "export_html", "find_network_references"]
