import { defineConfig } from 'vitest/config';

// Integration tests mount, create namespaces and boot QEMU on a 2-core host:
// run files one after another so they neither race on kernel state nor
// distort each other's timings.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
