export { gcHome, type GcReport } from './gc-home.js';
export { deleteRuncLeftovers } from './runc-leftovers.js';
