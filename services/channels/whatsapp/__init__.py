"""The WhatsApp Business channel: residents' messages to the city's number become
complaints (with their photos and locations), and notices go back by WhatsApp."""
