/** The JSON form of a flow verdict: the stable contract of `check --flows --output json` and `POST /v1/check`. */
import type { SideVerdict } from '../engine/trace.js';
import type { Protocol } from '../model/types.js';
import type { FlowResult } from '../session.js';

/** One checked flow as JSON. */
export interface FlowJson {
  /** The source as asked (e.g. `shop/frontend`). */
  readonly from: string;
  /** The destination as asked. */
  readonly to: string;
  /** The port checked (a named port resolved to its number). */
  readonly port: number;
  readonly protocol: Protocol;
  readonly verdict: 'allow' | 'deny';
  readonly explanation: {
    /** `allowed: egress allows, ingress allows` and the like. */
    readonly summary: string;
    readonly egress: SideVerdict;
    readonly ingress: SideVerdict;
  };
  /** The endpoint ids the references resolved to (e.g. `shop/frontend-7d4b9c`). */
  readonly resolved: { readonly from: string; readonly to: string };
}

/**
 * Build the JSON element for one flow. `asked` is the flow as the caller wrote it; without it
 * `from`/`to` are the resolved endpoint ids.
 */
export function flowJson(r: FlowResult, asked?: { readonly from: string; readonly to: string }): FlowJson {
  const side = (allowed: boolean): string => (allowed ? 'allows' : 'denies');
  return {
    from: asked?.from ?? r.from,
    to: asked?.to ?? r.to,
    port: r.port,
    protocol: r.protocol,
    verdict: r.verdict,
    explanation: {
      summary: `${r.verdict === 'allow' ? 'allowed' : 'denied'}: egress ${side(r.explanation.egress.allowed)}, ingress ${side(r.explanation.ingress.allowed)}`,
      egress: r.explanation.egress,
      ingress: r.explanation.ingress,
    },
    resolved: { from: r.from, to: r.to },
  };
}
