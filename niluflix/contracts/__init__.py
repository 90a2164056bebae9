"""Typed NATS contracts, defined once: a module per producing service.

Subjects carry their version (`downloads.v1.create`); changes within a version are additive.
"""
