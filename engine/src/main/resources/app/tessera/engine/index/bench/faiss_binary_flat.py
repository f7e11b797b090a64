"""Times FAISS IndexBinaryFlat on codes written by Tessera's bench (one query at a time)."""
import json
import sys
import time

import faiss
import numpy as np

codes_path, queries_path, bits, k = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
width = bits // 8
xb = np.fromfile(codes_path, dtype=np.uint8).reshape(-1, width)
xq = np.fromfile(queries_path, dtype=np.uint8).reshape(-1, width)
index = faiss.IndexBinaryFlat(bits)
index.add(xb)
for i in range(min(10, len(xq))):
    index.search(xq[i : i + 1], k)
times = []
first = None
for i in range(len(xq)):
    start = time.perf_counter()
    distances, _ = index.search(xq[i : i + 1], k)
    times.append((time.perf_counter() - start) * 1000)
    if first is None:
        first = distances[0].tolist()
times.sort()
print(json.dumps({
    "p50_ms": times[(len(times) + 1) // 2 - 1],
    "p99_ms": times[max(0, -(-len(times) * 99 // 100) - 1)],
    "queries": len(times),
    "version": faiss.__version__,
    "omp_threads": faiss.omp_get_max_threads(),
    "first_distances": first,
}))
