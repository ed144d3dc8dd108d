"""The audit trail and the defences around login: it observes every read and write
through the hooks of `core.writes` and `access.rules`, so that the layers below need
not know it exists; the DPO's pages, retention and the art. 15 export live here."""
