"""The editors' tools, one module per command: lint, stats, questions, serve, new (scaffold),
signatories diff. They sit on top of the build pipeline and never the other way round.
"""
