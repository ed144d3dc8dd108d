"""Generic pieces every other app builds on, importing only Django.

Periods and their overlap, rounding, the write services with their observers
(the version check against lost updates, the audit trail's hook), the bulk
writer and the admin's service-backed base classes. Nothing here knows an
OCMW: that is why it sits at the bottom of the layers (README, "Layout").
"""
