"""Loading a project: files on disk -> one validated `Project`.

YAML with positions (`yamlfile`), the typed models (`models`), the loader (`loading`), the
branding assets' checks (`assets`) and the JSON Schemas for editors (`schema`). The lowest
layer: it imports nothing else of presskit but `errors`.
"""
