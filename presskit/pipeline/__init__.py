"""One build: plan every document, render it, make the zips and the portal, write.

`documents` is the shared vocabulary (a leaf); `build` is the orchestrator; the cache, stamp,
lock and atomic writes keep it fast and safe; `provenance` says what a kit was made from.
"""
