export { namespaceId, namespaceIds } from './ids.js';
