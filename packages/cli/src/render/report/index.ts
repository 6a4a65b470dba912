/** The HTML connectivity report: pure functions from a session to one self-contained page. */
import type { Session } from '@netreach/core';
import { renderReportHtml } from './html.js';
import { type ReportOptions, buildReportData } from './model.js';

export type { DecodedExample, ReportData, ReportOptions, ReportPolicy, ReportSummary } from './model.js';
export { buildReportData, reportPairExamples, reportPairPorts, reportPodIds } from './model.js';
export { renderReportHtml } from './html.js';

/** The report page for a session, as one HTML string. */
export function reportHtml(session: Session, options: ReportOptions = {}): string {
  return renderReportHtml(buildReportData(session, options));
}
