#!/usr/bin/env node
import { runAsProcess } from './program.js';
import { register } from './commands/ctr.js';

/**
 * `bench ctr …` and `bench ps`: the same program and container commands as
 * the full CLI (./main.ts), without the other commands. scripts/bundle.mjs
 * builds it as one CommonJS file of its own, so that starting a container
 * reads one module instead of the forty chunks the shared bundle splits the
 * same code into, and the entry runs it with V8's code cache (./code-cache.ts);
 * the entry picks it by the command word (CONTAINER_WORDS).
 */
runAsProcess({ load: async () => [register] });
