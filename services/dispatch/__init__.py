"""dispatch: forwards complaints to agencies and tracks them to resolution and closing."""
