"""sla: keeps each complaint's deadline in working days (Asia/Jakarta)."""
