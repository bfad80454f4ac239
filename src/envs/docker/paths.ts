import path from 'node:path';
import type { HomePaths } from '../../core/home.js';

/**
 * Where isobench's private dockerd lives. Never the default socket or
 * data-root: a user's own Docker (its images, containers, networks) is
 * never touched. The exec-root (sockets of dockerd and its containerd) is a
 * short path under /run, because unix socket paths are limited to 108 bytes
 * and a home may be deep; it carries the home's tag, so gc finds it.
 */
export interface DockerPaths {
  /** <home>/docker: data-root, config, trust key, daemon record, log. */
  dir: string;
  dataRoot: string;
  execRoot: string;
  socket: string;
  pidfile: string;
  configFile: string;
  /** Bound over /etc/docker inside the daemon's mount namespace. */
  etcDir: string;
  /** What gc needs after a crash: pid + start time of our dockerd. */
  record: string;
  log: string;
}

export function dockerPaths(home: HomePaths): DockerPaths {
  const dir = path.join(home.root, 'docker');
  const execRoot = `/run/isobench-docker-${home.tag}`;
  return {
    dir,
    dataRoot: path.join(dir, 'data'),
    execRoot,
    socket: path.join(execRoot, 'docker.sock'),
    pidfile: path.join(execRoot, 'docker.pid'),
    configFile: path.join(dir, 'daemon.json'),
    etcDir: path.join(dir, 'etc'),
    record: path.join(dir, 'daemon-owner.json'),
    log: path.join(dir, 'dockerd.log'),
  };
}

/** The image name our daemon knows the workload by: the manifest digest as tag, so a rebuilt image is a new tag. */
export function dockerImageName(manifestDigest: string): string {
  return `isobench/workload:${manifestDigest.replace(/^sha256:/, '').slice(0, 16)}`;
}
