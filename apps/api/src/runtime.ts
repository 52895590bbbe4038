/**
 * The Node.js flags Signpost's server runs with (`npm start`, the benchmark, the
 * container image): a heap budget. The server's working set is ~50 MB; without a
 * limit V8 lets the heap grow to hundreds of MB under load before collecting,
 * and the process's memory with it. With 192 MB it stays near 150–200 MB
 * under load (docs/performance.md). Raise it with NODE_OPTIONS for a bigger job.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-old-space-size=192'];
