/**
 * Assemble compiled policies into the tier pipeline: Admin → NetworkPolicy → Baseline, then
 * default allow. Further tier models (Calico, Antrea) are added as extra tiers here.
 */
import type { AnalysisOptions } from '../options.js';
import type { CompiledPolicy, Tier, TierPipeline } from './ir.js';

/** The tiers of the upstream Kubernetes policy stack, in evaluation order. */
export const TIER_NAMES = ['Admin', 'NetworkPolicy', 'Baseline'] as const;

/**
 * Order policies within a tier: by priority (lower first), then — the documented tie-break for
 * equal priorities — by name in byte order, then by kind and namespace.
 */
export function comparePolicies(a: CompiledPolicy, b: CompiledPolicy): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const byName = cmp(a.ref.name, b.ref.name);
  if (byName !== 0) return byName;
  const byKind = cmp(a.ref.kind, b.ref.kind);
  if (byKind !== 0) return byKind;
  return cmp(a.ref.namespace ?? '', b.ref.namespace ?? '');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Build the pipeline from compiled policies (any order). */
export function buildPipeline(policies: readonly CompiledPolicy[], options: AnalysisOptions): TierPipeline {
  const byTier = (name: string): CompiledPolicy[] => policies.filter((p) => p.tier === name).sort(comparePolicies);
  const tiers: Tier[] = [
    {
      name: 'Admin',
      evaluation: 'first-match',
      whenSelectedNoMatch: 'next',
      selectsHostNetworkPods: false,
      policies: byTier('Admin'),
    },
    {
      name: 'NetworkPolicy',
      evaluation: 'any-allow',
      whenSelectedNoMatch: 'deny',
      selectsHostNetworkPods: options.hostNetworkPods === 'pod',
      policies: byTier('NetworkPolicy'),
    },
    {
      name: 'Baseline',
      evaluation: 'first-match',
      whenSelectedNoMatch: 'next',
      selectsHostNetworkPods: false,
      policies: byTier('Baseline'),
    },
  ];
  return { tiers };
}
