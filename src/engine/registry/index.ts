export { RegistryError } from './errors.js';
export { parseRemoteReference, formatRemoteReference, isLoopbackHost, type RemoteReference } from './reference.js';
export { parseChallenge, parseCredentials, type Credentials, type Challenge } from './auth.js';
export { RegistryClient, type ClientOptions } from './client.js';
export { blobExists, uploadBlob, DEFAULT_CHUNK_BYTES, type UploadMode } from './upload.js';
export { push, type PushOptions, type PushResult, type PushedBlob } from './push.js';
export { pull, type PullOptions, type PullResult } from './pull.js';
export { startRegistry, registryAvailable, htpasswdAvailable, freePort, REGISTRY_BIN, type RegistryServer, type RegistryServerOptions } from './local-server.js';
