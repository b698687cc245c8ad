/**
 * The CLI's usage texts.
 */

export const USAGE = `Usage: tenancy <command> [options]

Commands:
  reach <paths...>     the allowed connections between workloads and external ranges
  diff <old> <new>     the pairs whose connectivity differs between two sets of manifests
  explain <paths...>   which tier, policy and rule decide each side of a connection
  check <paths...>     the tenancy invariants declared on tenant namespaces

Paths are files or directories (read recursively for .yaml, .yml and .json).
Run 'tenancy <command> --help' for the options of a command.
`;

export const HELP: Record<string, string> = {
  reach: `Usage: tenancy reach <paths...> [--format txt|json|md|mermaid|dot] [--focus <ns/name>] [--output <file>]

Lists every ordered pair (workloads, external IPv4 ranges, domains of domainNames peers) with some allowed
connection, every tier applied (AdminNetworkPolicy, NetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy).
  --format   txt (default): 'SRC => DST : CONNS' lines; json; md (a table); mermaid or dot (a graph)
  --focus    keep only pairs where either side is this workload (ns/name or ns/name[Kind])
  --output   write to this file instead of standard output
`,
  diff: `Usage: tenancy diff <old> <new> [--format txt|json|md] [--fail-on-new]

Lists the pairs whose allowed connections differ: added (+), removed (-) and changed (~).
  --format        txt (default), json or md
  --fail-on-new   exit 1 when a flow was added or widened
`,
  explain: `Usage: tenancy explain <paths...> --from <ns/name> --to <ns/name> [--port 80/TCP] [--expect allowed|denied]

For each side (egress at the source, ingress at the destination), the tiers in order: each rule that applies,
with its action and what it decides, and what each tier passes on; with --port, the rule that decides it.
  --from, --to   a workload (ns/name or ns/name[Kind]) or an IPv4 address; --to may be a domain (name[Domain])
  --port         a port to ask about: 80, 80/TCP, 53/UDP
  --expect       a gate: exit 1, saying what was expected and found, when the answer differs. With --port it
                 is about that port; without, 'allowed' means some connection is allowed and 'denied' none
`,
  check: `Usage: tenancy check <paths...>

Checks the tenancy invariants: each namespace labelled tenancy.cdk8s.io/tenant is isolated for ingress, and
every source outside the tenant its policies admit is declared in its tenancy.cdk8s.io/ingress-grants
annotation. Exits 1 with one line per violation, 0 when clean.
`,
};
