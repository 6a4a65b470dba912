/** Severity of an input issue. */
export type IssueSeverity = 'error' | 'warning';

/**
 * A problem found in user input. Errors stop analysis; warnings do not.
 * `path` is a field path into the object (e.g. `spec.ingress[0].from[1].ipBlock.cidr`).
 */
export interface Issue {
  readonly severity: IssueSeverity;
  /** Stable machine-readable code, e.g. `INVALID_CIDR`. */
  readonly code: string;
  readonly message: string;
  readonly file?: string | undefined;
  /** 0-based index of the YAML document within the file. */
  readonly document?: number | undefined;
  /** Object reference such as `NetworkPolicy default/deny-all`. */
  readonly object?: string | undefined;
  readonly path?: string | undefined;
}

/** Format an issue on one line: `file (document N), Kind ns/name, field path: message`. */
export function formatIssue(issue: Issue): string {
  const where: string[] = [];
  if (issue.file !== undefined)
    where.push(issue.document !== undefined ? `${issue.file} (document ${issue.document + 1})` : issue.file);
  if (issue.object !== undefined) where.push(issue.object);
  if (issue.path !== undefined && issue.path !== '') where.push(`field ${issue.path}`);
  const prefix = where.length > 0 ? `${where.join(', ')}: ` : '';
  return `${issue.severity}: ${prefix}${issue.message} [${issue.code}]`;
}

/** Base class of errors thrown by netreach for programmer misuse or failed input. */
export class NetreachError extends Error {
  override readonly name: string = 'NetreachError';
  readonly code: string;
  readonly issues: readonly Issue[];
  constructor(code: string, message: string, issues: readonly Issue[] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
}

/** Whether any issue is an error. */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
