export { DockerEnvironment, dockerCli, type DockerPrepared } from './docker-env.js';
export { dockerdArgs, dockerRunArgs, dockerArchiveManifest, type DockerRunInput } from './docker-args.js';
export { dockerPaths, dockerImageName, type DockerPaths } from './paths.js';
export { startDaemon, stopDaemonOf, type DockerDaemon } from './daemon.js';
export { loadImage, type LoadedImage } from './load-image.js';
