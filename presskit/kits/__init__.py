"""Composing a kit, as pure data: which questions an event draws (`select`), in which language
(`i18n`, `translate`), with which branding, signatories and pocket card.

Imports only `presskit.project` below it.
"""
