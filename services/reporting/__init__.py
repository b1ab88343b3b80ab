"""reporting: the read model behind tracking, worklists and the monthly report."""
