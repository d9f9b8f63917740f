"""presskit: curated YAML question banks in, event-specific press kits out."""

__version__ = "0.1.0"
