"""Settings of multi-site pooling: see :mod:`spareplan.pool_settings`.

They live beside the configuration (the ``[pooling]`` table) so that reading a
configuration does not load the multi-site package.
"""

from spareplan.pool_settings import PoolSettings

__all__ = ["PoolSettings"]
