"""The demo organisation: `manage.py seed_demo`."""
