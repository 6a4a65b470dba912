/**
 * The JSON forms of a connectivity diff and of an audit: what `netreach diff -o json` and
 * `netreach audit -o json` print, and what `POST /v1/diff` and `POST /v1/audit` answer.
 */
import type { ConnectivityDiff, FlowChange } from '../diff/diff.js';
import type { AuditFlow, AuditResult } from '../diff/snapshot.js';
import type { FlowVerdict } from '../engine/trace.js';
import { isEmptyPortSet } from '../model/ports.js';
import type { Protocol } from '../model/types.js';
import { type PortSetJson, portSetToJson } from './matrix.js';

/** One pair whose ports changed, with one representative port explained. */
export interface ChangeJson {
  readonly from: string;
  readonly to: string;
  readonly ports: PortSetJson;
  /**
   * The verdicts of one representative port: `before` and `after` in a diff (null for a row
   * between replicas of a workload that had a single replica), `now` in an audit.
   */
  readonly example?: {
    readonly protocol: Protocol;
    readonly port: number;
    readonly before?: FlowVerdict | null;
    readonly after?: FlowVerdict | null;
    readonly now?: FlowVerdict;
  };
}

/** The JSON form of a connectivity diff. */
export interface DiffJson {
  readonly netreachDiff: 1;
  readonly identical: boolean;
  /** Pairs with ports allowed after but not before. */
  readonly gained: readonly ChangeJson[];
  /** Pairs with ports allowed before but not after. */
  readonly lost: readonly ChangeJson[];
  readonly endpointsAdded: readonly string[];
  readonly endpointsRemoved: readonly string[];
}

/** The JSON form of an audit against a snapshot. */
export interface AuditJson {
  readonly netreachAudit: 1;
  /** Where the snapshot came from (a file name). */
  readonly snapshot: string;
  readonly identical: boolean;
  readonly newlyAllowed: readonly ChangeJson[];
  readonly newlyDenied: readonly ChangeJson[];
  readonly endpointsAdded: readonly string[];
  readonly endpointsRemoved: readonly string[];
}

function changeJson(c: FlowChange, which: 'gained' | 'lost'): ChangeJson {
  const ex = which === 'gained' ? c.gainedExample : c.lostExample;
  const row = { from: c.from, to: c.to, ports: portSetToJson(c[which]) };
  if (ex === undefined) return row;
  return {
    ...row,
    example: { protocol: ex.protocol, port: ex.port, before: ex.before ?? null, after: ex.after ?? null },
  };
}

/** Build the JSON form of a diff (see {@link DiffJson}). */
export function diffJson(diff: ConnectivityDiff): DiffJson {
  const rows = (which: 'gained' | 'lost'): ChangeJson[] =>
    diff.changes.filter((c) => !isEmptyPortSet(c[which])).map((c) => changeJson(c, which));
  return {
    netreachDiff: 1,
    identical: diff.changes.length === 0 && diff.endpointsAdded.length === 0 && diff.endpointsRemoved.length === 0,
    gained: rows('gained'),
    lost: rows('lost'),
    endpointsAdded: diff.endpointsAdded,
    endpointsRemoved: diff.endpointsRemoved,
  };
}

function auditFlowJson(f: AuditFlow): ChangeJson {
  const row = { from: f.from, to: f.to, ports: portSetToJson(f.ports) };
  if (f.example === undefined) return row;
  return { ...row, example: { protocol: f.example.protocol, port: f.example.port, now: f.example.explanation } };
}

/** Build the JSON form of an audit (see {@link AuditJson}); `snapshot` names where it came from. */
export function auditJson(result: AuditResult, snapshot: string): AuditJson {
  return {
    netreachAudit: 1,
    snapshot,
    identical: result.identical,
    newlyAllowed: result.newlyAllowed.map(auditFlowJson),
    newlyDenied: result.newlyDenied.map(auditFlowJson),
    endpointsAdded: result.endpointsAdded,
    endpointsRemoved: result.endpointsRemoved,
  };
}
