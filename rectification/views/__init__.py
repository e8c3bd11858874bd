"""Rectification views, split by who uses them: the ledger and a measure's page (everyone in
scope), the inspector's workspace, the office's registration and import pages."""
