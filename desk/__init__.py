"""The social-work UI: the pages social assistants, team leads and managers work in."""
