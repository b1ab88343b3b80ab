"""intake: records complaints, numbers them, and conveys results to reporters."""
