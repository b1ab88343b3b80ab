"""Message contracts shared by every Aduan service: names, payload schemas, reference ids.

Nothing here does I/O; a service may import it without starting anything.
"""
