"""The administrators' UI: the Django admin of casework and partner records."""
