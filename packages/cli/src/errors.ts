import { type Issue, formatIssue } from '@netreach/core';

/** A user-facing CLI error: printed as one line (plus issues), exit code 2, no stack trace. */
export class CliError extends Error {
  readonly issues: readonly Issue[];
  constructor(message: string, issues: readonly Issue[] = []) {
    super(message);
    this.issues = issues;
  }
}

/** The lines to print for an error. */
export function errorLines(e: unknown): string[] {
  if (e instanceof CliError) {
    const errors = e.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) return errors.map(formatIssue);
    return [`error: ${e.message}`];
  }
  if (e !== null && typeof e === 'object' && 'issues' in e && Array.isArray((e as { issues: unknown }).issues)) {
    const issues = (e as { issues: Issue[] }).issues.filter((i) => i.severity === 'error');
    if (issues.length > 0) return issues.map(formatIssue);
  }
  const msg = e instanceof Error ? e.message : String(e);
  return [`error: ${msg}`];
}
