/**
 * Test helper: a real docker-registry on 127.0.0.1:<free port> with a temp
 * config and storage dir (the same starter the registry phase of `bench run
 * all` uses). Call stop() in afterAll.
 */
export {
  startRegistry, registryAvailable, htpasswdAvailable, freePort, REGISTRY_BIN,
  type RegistryServer, type RegistryServerOptions,
} from '../../src/engine/registry/local-server.js';
