/** Human-readable rendering of verdicts and their traces. */
import { type FlowResult, type SideVerdict, type TierStep, formatPolicyRef, formatRuleRef } from '@netreach/core';
import { type Style, plainStyle } from './style.js';

function stepLine(step: TierStep): string {
  switch (step.outcome) {
    case 'not-selected':
      return 'no policy selects it';
    case 'no-match':
      return `no rule matched in ${step.policies.map(formatPolicyRef).join(', ')}; falls through`;
    case 'pass':
      return `passed by ${formatRuleRef(step.rules[0]!)}; skips the rest of the ${step.tier} tier`;
    case 'allow':
      return `allowed by ${step.rules.map(formatRuleRef).join(', ')}`;
    case 'deny':
      return step.rules.length > 0
        ? `denied by ${formatRuleRef(step.rules[0]!)}`
        : `isolated by ${step.policies.map(formatPolicyRef).join(', ')}; no rule allows it`;
  }
}

/** Lines describing one side of a flow. */
export function sideLines(side: SideVerdict, style: Style = plainStyle): string[] {
  const colour = side.allowed ? style.green : style.red;
  const m = /^(allowed|denied)(.*)$/s.exec(side.summary);
  const summary = m !== null ? `${colour(m[1]!)}${m[2]!}` : side.summary;
  const lines = [`  ${side.direction.padEnd(7)} at ${side.endpoint}: ${summary}`];
  const width = Math.max(0, ...side.tiers.map((t) => t.tier.length));
  for (const step of side.tiers) lines.push(`      ${style.dim(step.tier.padEnd(width))}  ${stepLine(step)}`);
  if (side.reason === 'default' && side.tiers.length > 0)
    lines.push(`      ${style.dim('default'.padEnd(width))}  allow`);
  return lines;
}

/** The full text answer for one flow. */
export function flowText(r: FlowResult, style: Style = plainStyle): string {
  const head = r.verdict === 'allow' ? style.bold(style.green('ALLOWED')) : style.bold(style.red('DENIED'));
  return [
    `${head}  ${r.from} → ${r.to}  ${r.protocol}/${r.port}`,
    ...sideLines(r.explanation.egress, style),
    ...sideLines(r.explanation.ingress, style),
  ].join('\n');
}

/** The JSON element for one flow (the stable `check --flows` contract); it lives in the core. */
export { flowJson } from '@netreach/core';
