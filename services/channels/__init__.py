"""The channel adapters' family: each takes one channel's messages to intake and
carries the reporter's notices back (sms and social predate the group)."""
