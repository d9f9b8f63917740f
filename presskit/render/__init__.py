"""Rendering: Jinja templates (`templating`, `templates/`) and what they receive (`context`),
Markdown (`markup`), QR codes (`qr`), and HTML -> PDF (`pdf`, the only module that imports
WeasyPrint; `pool` runs it in processes).
"""
