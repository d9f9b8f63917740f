"""Lint's rules, one module per kind of thing checked; each rule is a `@rule` function.

To add a rule, write one such function in the module it belongs to (or a new module, listed in
`presskit.tools.lint.registry.MODULES`), with a failing and a passing fixture under
tests/fixtures/lint/<CODE>/.
"""
