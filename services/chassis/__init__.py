"""The plumbing every Aduan service shares: config, Mongo, outbox and inbox, metrics.

Keep this package free of imports with side effects: `launch` must be able to
monkey-patch for eventlet before pymongo, kombu or the services are imported.
"""
