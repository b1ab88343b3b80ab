"""Open311 GeoReport v2 at /open311/v2/ (docs/open311.md): third-party apps list the
seven categories as services, post requests as the `open311` channel, and read
requests as the public may see them, in XML or JSON."""
