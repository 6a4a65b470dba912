/** A structural check of Mermaid flowcharts (no Mermaid parser needed). */

/** Mermaid structure: balanced subgraph/end, valid ids, every edge between declared nodes. */
export function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const declared = new Set<string>();
  let depth = 0;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  let i = 0;
  if (lines[0] === '---') {
    i = lines.indexOf('---', 1) + 1;
    if (i === 0) problems.push('unterminated front matter');
  }
  if (!/^flowchart (LR|TB|TD|RL|BT)$/.test(lines[i] ?? '')) problems.push(`bad header: ${lines[i]}`);
  for (const raw of lines.slice(i + 1)) {
    const l = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^subgraph ([A-Za-z_][A-Za-z0-9_]*)\["[^"]*"\]$/.exec(l)) !== null) depth++;
    else if (l === 'end') depth--;
    else if ((m = /^([A-Za-z_][A-Za-z0-9_]*)(\["[^"]*"\]|\(\["[^"]*"\]\))$/.exec(l)) !== null) declared.add(m[1]!);
    else if ((m = /^([A-Za-z_][A-Za-z0-9_]*) (-->|-\.->)\|"[^"]*"\| ([A-Za-z_][A-Za-z0-9_]*)$/.exec(l)) !== null) {
      for (const id of [m[1]!, m[3]!]) if (!declared.has(id)) problems.push(`edge to undeclared node ${id}`);
    } else if (!/^linkStyle \d+(,\d+)* stroke:#[0-9a-f]{6},color:#[0-9a-f]{6}$/.test(l))
      problems.push(`unexpected line: ${l}`);
    if (depth < 0) problems.push('end without subgraph');
  }
  if (depth !== 0) problems.push(`unbalanced subgraphs (${depth})`);
  return problems;
}
