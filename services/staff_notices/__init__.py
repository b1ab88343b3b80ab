"""Delivers the SLA's notices and the weekly digest to staff, by e-mail and WhatsApp."""
