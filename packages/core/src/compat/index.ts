/** Compatibility outputs for other tools (netpol-analyzer's connlist). */
export type { ConnlistLine, ConnlistResult } from './connlist.js';
export {
  CONNLIST_ANALYSIS_OPTIONS,
  computeConnlist,
  connlistText,
  externalName,
  formatConnlistConns,
  workloadName,
} from './connlist.js';
export { connlistDiagnostics } from './diagnostics.js';
export type { IngressConnection, IngressTarget } from './ingress.js';
export { INGRESS_CONTROLLER_NAME, ingressConnections } from './ingress.js';
export { cidrSetRanges, disjointRanges, referencedBlocks } from './ip-partition.js';
