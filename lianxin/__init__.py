"""连心 Lianxin: a liaison platform for representatives, community workers and residents."""

__version__ = "0.1.0"
