/**
 * The CLI's usage texts.
 */

export const USAGE = `Usage: tenancy <command> [options]

Commands:
  reach <paths...>     the allowed connections between workloads and external ranges
  diff <old> <new>     the pairs whose connectivity differs between two sets of manifests
  explain <paths...>   which tier, policy and rule decide each side of a connection
  check <paths...>     the tenancy invariants declared on tenant namespaces

Paths are files or directories (read recursively for .yaml, .yml and .json, in lexical order), or - for
standard input. When an object occurs twice, the last one wins, as with kubectl apply -f. Warnings about
ignored input go to standard error.
Every command takes --pod-cidr <cidr> (repeatable): the cluster's pod networks, which replace the default
10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and 100.64.0.0/10; an ipBlock that overlaps one may match pods.
Run 'tenancy <command> --help' for the options of a command.
`;

const POD_CIDR_HELP = `  --pod-cidr     a pod network of the cluster (repeatable; replaces the defaults 10.0.0.0/8, 172.16.0.0/12,
                 192.168.0.0/16, 100.64.0.0/10): an ipBlock that overlaps one may match pods of every namespace
`;

export const HELP: Record<string, string> = {
  reach: `Usage: tenancy reach <paths...> [--format txt|json|md|mermaid|dot] [--focus <ns/name>]... [--exposure]
                     [--output <file>] [--pod-cidr <cidr>]...

Lists every ordered pair (workloads, external IPv4 ranges, domains of domainNames peers) with some allowed
connection, every tier applied (AdminNetworkPolicy, NetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy).
  --format       txt (default): 'SRC => DST : CONNS' lines; json; md (a table); mermaid or dot (a graph)
  --focus        keep only pairs where either side is this workload (ns/name or ns/name[Kind]); repeatable
  --exposure     also list, per workload, what it admits from and may reach among peers not in the input
                 (pods and namespaces by labels or name, now or later, external ranges), and the workloads
                 no policy protects
  --output       write to this file instead of standard output
${POD_CIDR_HELP}`,
  diff: `Usage: tenancy diff <old> <new> [--format txt|json|md] [--fail-on-new] [--pod-cidr <cidr>]...

Lists the pairs whose allowed connections differ: added (+), removed (-) and changed (~).
  --format       txt (default), json or md
  --fail-on-new  exit 1 when a flow was added or widened
${POD_CIDR_HELP}`,
  explain: `Usage: tenancy explain <paths...> --from <ns/name> --to <ns/name> [--port 80/TCP] [--expect allowed|denied]
                       [--pod-cidr <cidr>]...

For each side (egress at the source, ingress at the destination), the tiers in order: each rule that applies,
with its action and what it decides, and what each tier passes on; with --port, the rule that decides it.
  --from, --to   a workload (ns/name or ns/name[Kind]) or an IPv4 address; --to may be a domain (name[Domain])
  --port         a port to ask about: 80, 80/TCP, 53/UDP
  --expect       a gate: exit 1, saying what was expected and found, when the answer differs. With --port it
                 is about that port; without, 'allowed' means some connection is allowed and 'denied' none
${POD_CIDR_HELP}`,
  check: `Usage: tenancy check <paths...> [--pod-cidr <cidr>]...

Checks the tenancy invariants: each namespace labelled tenancy.cdk8s.io/tenant is isolated for ingress, and
every source outside the tenant its policies admit is declared in its tenancy.cdk8s.io/ingress-grants
annotation; where the Namespace has a tenancy.cdk8s.io/egress-grants annotation, it is isolated for egress
and every destination its policies allow is declared there. An ipBlock that overlaps a pod network may match
pods of every namespace, which no grant covers. Objects of a tenant in a namespace whose Namespace is missing
or lacks the tenant's label, a tenant Namespace declared twice, and an object of cdk8s-tenancy overridden by
a later one of the same identity are violations too. Exits 1 with one line per violation, 0 when clean.
${POD_CIDR_HELP}`,
};
