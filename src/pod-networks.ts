/**
 * ipBlocks and the cluster's pod networks. Kubernetes does not promise that an ipBlock matches
 * only addresses outside the cluster, and most network plugins match pod addresses against it;
 * so every ipBlock a tenant writes excepts the pod networks, and a block wholly inside one (which
 * could only ever mean pods) is refused.
 */
import { IConstruct } from 'constructs';
import { parseCidr } from './guard';
import { errorAt } from './names';
import { PeerConfig } from './peer';
import { TenancySettings } from './settings';

/** An ipBlock: a CIDR less its excepts. */
export interface IpBlock {
  readonly cidr: string;
  readonly except?: string[];
}

/**
 * The block with the pod networks inside it added to its excepts (sorted by address, with
 * excepts inside another except dropped). Throws, naming `what`, when the block lies wholly
 * inside a pod network.
 */
export function exceptPodNetworks(block: IpBlock, podCidrs: readonly string[], what: string, path: string): IpBlock {
  const outer = parseCidr(block.cidr);
  for (const pod of podCidrs) {
    const p = parseCidr(pod);
    if (outer.start >= p.start && outer.end <= p.end) {
      throw errorAt(path, `${what}: block ${block.cidr} lies wholly inside the pod network ${pod}: network plugins match pod addresses against ipBlocks, so it would match pods of every namespace. Grant the tenant or namespace instead (pass the IsolatedTenant, a workload, Peer.tenant() or Peer.namespace()); if no pod has an address in ${block.cidr}, declare the cluster's pod networks with podCidrs.`);
    }
  }
  const inside = podCidrs.filter((pod) => {
    const p = parseCidr(pod);
    return p.start >= outer.start && p.end <= outer.end;
  });
  const except = minimalCover([...(block.except ?? []), ...inside]);
  return { cidr: block.cidr, ...(except.length ? { except } : {}) };
}

/** A peer config whose ipBlock (if any) excepts the pod networks of the app `scope` is in. */
export function withPodNetworksExcepted(config: PeerConfig, scope: IConstruct, what: string, path: string): PeerConfig {
  if (!config.ipBlock) return config;
  return { ...config, ipBlock: exceptPodNetworks(config.ipBlock, TenancySettings.of(scope).podCidrs, what, path) };
}

/** CIDRs sorted by address (then widest first), without duplicates or blocks inside another. */
function minimalCover(cidrs: string[]): string[] {
  const ranges = cidrs.map((c) => ({ c, r: parseCidr(c) }))
    .sort((a, b) => a.r.start - b.r.start || b.r.end - a.r.end);
  const out: typeof ranges = [];
  for (const x of ranges) {
    const last = out[out.length - 1];
    if (last && x.r.start >= last.r.start && x.r.end <= last.r.end) continue;
    out.push(x);
  }
  return out.map((x) => x.c);
}
