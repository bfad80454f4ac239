export { NetworkError } from './errors.js';
export { attachNetwork, detachNetwork, readNetworkRecord, type ContainerNetwork, type AttachOptions, type DetachReport } from './attach.js';
export { parsePublish, type PortMapping } from './publish.js';
export { homeSubnet, type Subnet } from './subnet.js';
export { listLeases, allocateAddress, releaseAddresses, type Lease } from './leases.js';
export { bridgeName, netnsName, netnsPath, vethHostName } from './names.js';
export { gcNetwork, type NetworkGcReport } from './gc.js';
export { networkLeftovers } from './leftovers.js';
export { networkOptions, type NetworkMode } from './container-hook.js';
