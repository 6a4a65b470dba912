/** `netreach check`: one flow (exit 0 allowed, 1 denied) or many with `--flows` (exit 0). */
import { readFileSync } from 'node:fs';
import { type FlowSpec, type Protocol, type Session, checkFlow, NetreachError } from '@netreach/core';
import type { Command } from 'commander';
import { type CliIo, type CommonOptions, loadSession, withCommonOptions } from '../context.js';
import { CliError } from '../errors.js';
import { readStdin } from '../io.js';
import { flowJson, flowText } from '../render/explain.js';
import type { Style } from '../render/style.js';

interface CheckOptions extends CommonOptions {
  from?: string;
  to?: string;
  port?: string;
  protocol?: string;
  flows?: string;
  output: string;
}

/** Parse `8080`, `8080/TCP`, `53/udp` or a port name. */
export function parsePortArg(text: string, protocolOpt?: string): { port: number | string; protocol?: Protocol } {
  const m = /^([^/]+)(?:\/([A-Za-z]+))?$/.exec(text.trim());
  if (m === null) throw new CliError(`--port: expected <number>[/<TCP|UDP|SCTP>] or a port name, got "${text}"`);
  const protoText = m[2] ?? protocolOpt;
  const protocol = protoText !== undefined ? parseProtocol(protoText, '--port') : undefined;
  const p = m[1]!;
  const port = /^\d+$/.test(p) ? Number(p) : p;
  if (typeof port === 'number' && (port < 1 || port > 65535))
    throw new CliError(`--port: ${port} is not between 1 and 65535`);
  return protocol !== undefined ? { port, protocol } : { port };
}

function parseProtocol(text: string, where: string): Protocol {
  const up = text.toUpperCase();
  if (up !== 'TCP' && up !== 'UDP' && up !== 'SCTP')
    throw new CliError(`${where}: protocol must be TCP, UDP or SCTP, not "${text}"`);
  return up;
}

/** Validate the `--flows` JSON document. */
export function parseFlows(text: string, name: string): FlowSpec[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${name}: invalid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw new CliError(`${name}: expected a JSON array of {"from","to","port","protocol"}`);
  return data.map((f: unknown, i) => {
    const at = `${name}: [${i}]`;
    if (f === null || typeof f !== 'object' || Array.isArray(f)) throw new CliError(`${at}: expected an object`);
    const o = f as Record<string, unknown>;
    for (const k of ['from', 'to'] as const)
      if (typeof o[k] !== 'string' || o[k] === '') throw new CliError(`${at}.${k}: expected a non-empty string`);
    const port = o['port'];
    if (!(
      (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535) ||
      (typeof port === 'string' && port !== '')
    ))
      throw new CliError(`${at}.port: expected a port number 1-65535 or a port name`);
    const protocol = o['protocol'];
    if (protocol !== undefined && typeof protocol !== 'string')
      throw new CliError(`${at}.protocol: expected TCP, UDP or SCTP`);
    return {
      from: o['from'] as string,
      to: o['to'] as string,
      port: typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port,
      protocol: protocol !== undefined ? parseProtocol(protocol, `${at}.protocol`) : undefined,
    };
  });
}

function runFlow(session: Session, flow: FlowSpec, where: string): ReturnType<typeof checkFlow> {
  try {
    return checkFlow(session, flow);
  } catch (e) {
    if (e instanceof NetreachError) throw new CliError(`${where}${e.message}`);
    throw e;
  }
}

/** Register the command. */
export function registerCheck(program: Command, io: CliIo, style: Style, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('check')
      .description('can A reach B on a port? Verdict and explanation (exit 0 allowed, 1 denied, 2 error)')
      .argument('<paths...>', 'manifest files or directories, - for stdin')
      .option('--from <ref>', 'source: namespace/pod, namespace/workload, node/<name>, an IP or a domain')
      .option('--to <ref>', 'destination, same forms as --from')
      .option('--port <port>', 'port number, number/protocol (53/UDP) or a named port of the destination')
      .option('--protocol <protocol>', 'TCP (default), UDP or SCTP')
      .option('--flows <file>', 'check many flows: JSON array of {"from","to","port","protocol"} (- for stdin)')
      .option('-o, --output <format>', 'text or json', 'text'),
  ).action((paths: string[], o: CheckOptions) => {
    if (o.output !== 'text' && o.output !== 'json')
      throw new CliError(`--output must be text or json, not "${o.output}"`);
    if (o.flows !== undefined) {
      if (o.from !== undefined || o.to !== undefined || o.port !== undefined)
        throw new CliError('--flows cannot be combined with --from/--to/--port');
      let text: string;
      try {
        text = o.flows === '-' ? readStdin() : readFileSync(o.flows, 'utf8');
      } catch {
        throw new CliError(`${o.flows}: cannot read flows file`);
      }
      const flows = parseFlows(text, o.flows);
      const session = loadSession(io, paths, o);
      const results = flows.map((f, i) => runFlow(session, f, `${o.flows}: [${i}]: `));
      if (o.output === 'json')
        io.stdout(
          `${JSON.stringify(
            results.map((r, i) => flowJson(r, flows[i])),
            null,
            2,
          )}\n`,
        );
      else io.stdout(`${results.map((r) => flowText(r, style)).join('\n\n')}\n`);
      setExit(0);
      return;
    }
    if (o.from === undefined || o.to === undefined || o.port === undefined)
      throw new CliError('check needs --from, --to and --port (or --flows <file>)');
    const { port, protocol } = parsePortArg(o.port, o.protocol);
    const session = loadSession(io, paths, o);
    const r = runFlow(session, { from: o.from, to: o.to, port, protocol }, '');
    if (o.output === 'json') io.stdout(`${JSON.stringify(flowJson(r, { from: o.from, to: o.to }), null, 2)}\n`);
    else io.stdout(`${flowText(r, style)}\n`);
    setExit(r.verdict === 'allow' ? 0 : 1);
  });
}
