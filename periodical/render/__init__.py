"""Stage 4, render: HTML → laid-out pages → the drawn PDF, through WeasyPrint.

render.py lays each part out (resources only from the issue, layouts/, fonts/ and the colour
profile); parts.py draws each part to a PDF of its own and keeps it on disk with what its pages
show (facts.py); paginate.py puts the parts end to end at the pages they really start on;
cjk_justify.py and column_balance.py patch Chinese justification and column balancing into
WeasyPrint 70.
May touch: the drawn parts and prepared photos in the cache, and the file it is told to write.
"""
import contextlib
import ctypes.util
import io


@contextlib.contextmanager
def _sonames_only():
    """WeasyPrint finds Pango and the rest by trying names in turn, and cffi asks
    ctypes.util.find_library about each name that does not load as it stands, which runs ldconfig
    and gcc: 22 asks, a quarter of a second of every process that renders. The sonames it tries
    next (libpango-1.0.so.0) load as they stand, so while it is imported those asks are answered
    "not found", and its complaint if then nothing loads is kept from the terminal."""
    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        ctypes.util.find_library = real


try:
    with _sonames_only():
        import weasyprint  # noqa: F401
except OSError:                 # a system where only find_library knows where the libraries are
    import weasyprint  # noqa: F401
