"""Story import: readers turn copy into plain data, a separate step stores it.

Readers (``text``, ``ninjs``) and the quote finder (``quotes``) never touch the
database, so they are tested without one and a new format is one new reader.
"""
