"""Small files the tests upload. Evidence is parsed, not only sniffed (common/evidence.py), so a
sample must be what it claims to be."""

# The smallest valid PDF: a catalogue, a page tree and one empty A4 page.
ONE_PAGE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
