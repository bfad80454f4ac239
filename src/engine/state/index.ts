export type { ContainerState, ContainerStatus, OwnerRecord } from './types.js';
export { processStartTime, isAlive } from './liveness.js';
export { ContainerNotFoundError, ContainerStateError, ContainerExistsError } from './errors.js';
export { assertCan, can, type Verb } from './guards.js';
export {
  writeState, readRawState, loadState, listContainerIds, listStates,
  ownerFile, writeOwner, readOwner, ownerAlive,
} from './store.js';
