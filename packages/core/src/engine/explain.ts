/**
 * Explanations at query speed. The reference evaluator filters every policy of every tier on
 * each side of a flow (20,000 policies at 100k pods), but a side's trace only ever names the
 * policies that select its subject. So each side runs the unchanged reference
 * {@link evaluateSide} over a reduced pipeline: the same tiers, in the same order, with the same
 * properties, holding only the policies that select the subject's class for that direction.
 * A tier that has policies but none selecting keeps one (non-selecting) policy, so the reference
 * still reports it as `not-selected`; a tier without policies stays empty and is skipped as before.
 * The output equals `evaluateFlow(analysis.pipeline, …)` (property-tested).
 *
 * Reduced pipelines are built lazily, per subject class, and cached per analysis.
 */
import type { Protocol } from '../model/types.js';
import type { CompiledPolicy, Direction, Tier, TierPipeline } from '../policy/ir.js';
import type { Analysis } from './analysis.js';
import type { Endpoint } from './endpoints.js';
import { evaluateSide } from './reference.js';
import type { FlowVerdict } from './trace.js';

/** The pipelines one subject class is evaluated over, per direction. */
interface Reduced {
  readonly egress: TierPipeline;
  readonly ingress: TierPipeline;
}

class Explainer {
  private readonly a: Analysis;
  private readonly reduced = new Map<number, Reduced>();

  constructor(a: Analysis) {
    this.a = a;
  }

  explain(src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): FlowVerdict {
    const { options } = this.a;
    const egress = evaluateSide(this.pipelineFor('egress', src), 'egress', src, dst, protocol, port, options);
    const ingress = evaluateSide(this.pipelineFor('ingress', dst), 'ingress', src, dst, protocol, port, options);
    // As evaluateFlow assembles it (same fields, same order).
    return { from: src.id, to: dst.id, protocol, port, allowed: egress.allowed && ingress.allowed, egress, ingress };
  }

  /** The pipeline to evaluate `subject`'s side over. */
  private pipelineFor(direction: Direction, subject: Endpoint): TierPipeline {
    // Non-pods are decided before any tier is looked at.
    if (subject.kind !== 'pod') return this.a.pipeline;
    const c = this.subjectClass(subject);
    if (c === undefined) return this.a.pipeline;
    let r = this.reduced.get(c);
    if (r === undefined) {
      r = this.reduce(c);
      this.reduced.set(c, r);
    }
    return r[direction];
  }

  /**
   * The class of an endpoint whose subject selection is known to equal its class's: an
   * endpoint of the analysis, or one built from the same pod object in the same namespace
   * labels (what a subject selector looks at). Otherwise undefined: the full pipeline is used.
   */
  private subjectClass(e: Endpoint & { kind: 'pod' }): number | undefined {
    const i = this.a.indexOf(e.id);
    if (i === undefined) return undefined;
    const known = this.a.endpoints[i]!;
    if (known === e) return this.a.classOf[i];
    if (known.kind === 'pod' && known.pod === e.pod && known.namespaceLabels === e.namespaceLabels)
      return this.a.classOf[i];
    return undefined;
  }

  private reduce(c: number): Reduced {
    const selecting = this.a.selectingPolicies(c);
    return { egress: this.sub(selecting, 'egress'), ingress: this.sub(selecting, 'ingress') };
  }

  private sub(
    selecting: readonly { readonly tier: number; readonly policy: CompiledPolicy }[],
    direction: Direction,
  ): TierPipeline {
    const kept: CompiledPolicy[][] = this.a.pipeline.tiers.map(() => []);
    for (const { tier, policy } of selecting)
      if ((direction === 'egress' ? policy.egress : policy.ingress) !== undefined) kept[tier]!.push(policy);
    const tiers = this.a.pipeline.tiers.map((tier, t): Tier => {
      const policies = kept[t]!;
      // No policy of the tier selects the subject for this direction: keep one policy (it does
      // not select either), so the reference still shows the tier as `not-selected`.
      if (policies.length === 0 && tier.policies.length > 0) policies.push(tier.policies[0]!);
      return policies.length === tier.policies.length ? tier : { ...tier, policies };
    });
    return { tiers };
  }
}

const explainers = new WeakMap<Analysis, Explainer>();

/**
 * Both sides of a flow explained: `evaluateFlow(a.pipeline, src, dst, protocol, port, a.options)`,
 * computed over the policies that select each side's subject only.
 */
export function explainFlow(a: Analysis, src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): FlowVerdict {
  let x = explainers.get(a);
  if (x === undefined) {
    x = new Explainer(a);
    explainers.set(a, x);
  }
  return x.explain(src, dst, protocol, port);
}
