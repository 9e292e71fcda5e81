// A stand-in for the projector process when the projector runs inside the API (BENCH_PROJECTOR=api).
setInterval(() => undefined, 1 << 30);
process.on('SIGTERM', () => process.exit(0));
