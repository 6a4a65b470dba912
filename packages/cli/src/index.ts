/** @netreach/cli — the `netreach` command line, usable as a library for tests and wrappers. */
export { VERSION, main } from './main.js';
export type { CliIo } from './context.js';
export { CliError } from './errors.js';
export { parseFlows, parsePortArg } from './commands/check.js';
export type { Graph, GraphEdge, GraphNode } from './render/graph.js';
export { GAINED_EDGE, LOST_EDGE, matrixGraph, toDot, toMermaid } from './render/graph.js';
export type { DecodedExample, ReportData, ReportOptions, ReportPolicy, ReportSummary } from './render/report/index.js';
export {
  buildReportData,
  renderReportHtml,
  reportHtml,
  reportPairExamples,
  reportPairPorts,
  reportPodIds,
} from './render/report/index.js';
