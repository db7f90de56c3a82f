"""A local S3-compatible server for tests: moto in server mode over HTTP on a loopback port.

The server lives in casp/localcluster.py (the cluster proof, bench/bench_cluster.py, starts it too).
"""

from casp.localcluster import BUCKET, KEY, SECRET, S3Server, free_port, s3_server  # noqa: F401 - re-exported

__all__ = ["BUCKET", "KEY", "SECRET", "S3Server", "free_port", "s3_server"]
