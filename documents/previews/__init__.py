"""Officers' previews of uploaded files: every page drawn again as plain pixels, so no active
content of a file (scripts, forms, embedded files, links, malformed structures aimed at a
viewer) ever reaches an officer's machine; the officer's browser shows PNG images we encoded.

- `documents.previews.child` runs in a child process under hard limits (documents.isolation):
  PDF pages rendered by PDFium (pypdfium2, built without JavaScript or XFA; form fields are not
  drawn), TIFF pages and JPEG, PNG and GIF images decoded by Pillow; it writes raw pixels only.
- `documents.previews.frames` is the format of that output: one JSON line per image, then its
  raw pixels, then an end line. The worker's side checks every size against these limits and
  encodes the PNG files itself, so it never parses anything the child could have shaped.
- documents.services.previews stores the images and records the outcome on the Preview row.
"""

# The first pages are drawn; an officer downloads the file for the rest.
MAX_PREVIEW_PAGES = 20
# Longest side of a page image, and of the thumbnail (the first page, small).
PAGE_SIDE = 1200
THUMB_SIDE = 240
# A page smaller than its image is drawn at most this much larger than 72 dpi.
MAX_SCALE = 3.0
