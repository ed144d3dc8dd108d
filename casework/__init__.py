"""The domain's core: organisations, clients, social workers, assignments, income rights
and trajectories (GPMI), with their constraints, reads in domain words and typed
write services. It builds only on `core`; everything else builds on it."""
