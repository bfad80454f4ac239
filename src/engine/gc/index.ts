export { gcHome, type GcReport } from './gc-home.js';
export { deleteRuncLeftovers, deleteRunscLeftovers, deleteRuntimeLeftovers } from './runc-leftovers.js';
