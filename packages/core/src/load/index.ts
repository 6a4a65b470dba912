export { parseManifests, MAX_DEPTH } from './parse.js';
export type { ParseResult, RawObject } from './parse.js';
export { buildCluster, loadCluster, NAMESPACE_NAME_LABEL } from './build.js';
export type { BuildResult } from './build.js';
