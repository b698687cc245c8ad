import { ApiObject } from 'cdk8s';
import type { AbstractPod } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { isKplusPods, kplusNamespace, kplusName, kplusPeerConfig, kplusSelectorProblem } from './kplus';
import { errorAt, validateSelector } from './names';
import { IKplusPods, IPeer, LabelSelector, PeerConfig, PeerLike } from './peer';
import { podOwnersIn } from './pod-owners';
import { Port } from './port';
import { IsolatedTenant } from './tenant';
import { TenantIsolation } from './tenant-types';
import { Workload } from './workload';

/** Props of a `DbWebappLink`. */
export interface DbWebappLinkProps {
  /**
   * The client side: a workload of the same tenant (this package's, or a cdk8s-plus workload
   * or pod), `Peer.pods({...})`, or plain labels (`{ app: 'webapp' }`).
   */
  readonly webapp: PeerLike;
  /**
   * The server side, whose pods the policy selects: a workload of the same tenant (this
   * package's, or a cdk8s-plus workload or pod) or plain labels (`{ app: 'database' }`).
   */
  readonly database: Workload | IKplusPods | LabelSelector;
  /** The database port the webapp may reach, e.g. `Port.tcp(5000)`. */
  readonly port: Port;
  /**
   * The NetworkPolicy's name.
   * @default 'db-webapp'
   */
  readonly name?: string;
}

/**
 * Isolation inside a namespace: only the webapp pods may reach the database pods, and only
 * on the given port.
 *
 * Writes the default-deny policy `deny-communication` (once per namespace, however many
 * links there are) and a policy (`db-webapp`) that selects the database pods and admits the
 * webapp pods on the port. The tenant must use `TenantIsolation.POD`: under
 * `TenantIsolation.NAMESPACE` every pod of the namespace already reaches every other, and
 * the link would restrict nothing.
 */
export class DbWebappLink extends Construct {
  /** The tenant (namespace) the link lives in. */
  public readonly tenant: IsolatedTenant;
  /** The namespace the link lives in (the database's). */
  public readonly namespace: string;
  /** The `db-webapp` policy. */
  public readonly policy: ApiObject;
  private readonly db: PeerConfig;
  private readonly web: PeerConfig;

  /** The database pods' labels (a cdk8s-plus workload's as they are now; the policy reads them at synth). */
  public get databaseSelector(): Readonly<LabelSelector> {
    return { ...this.db.podLabels! };
  }

  /** The webapp pods' labels (a cdk8s-plus workload's as they are now; the policy reads them at synth). */
  public get webappSelector(): Readonly<LabelSelector> {
    return { ...this.web.podLabels! };
  }

  constructor(scope: Construct, id: string, props: DbWebappLinkProps) {
    super(scope, id);
    const path = this.node.path;
    const tenant = findTenant(scope);
    if (!tenant) {
      throw errorAt(path, 'a DbWebappLink must be created inside an IsolatedTenant (its namespace): new DbWebappLink(tenant, id, { ... }).');
    }
    this.tenant = tenant;
    if (tenant.isolation !== TenantIsolation.POD) {
      throw errorAt(path, `DbWebappLink restricts nothing in tenant "${tenant.name}": its policy deny-from-other-namespaces admits every pod of the namespace. Create the tenant with isolation: TenantIsolation.POD.`);
    }
    if (!props.port || typeof (props.port as Port)._toKube !== 'function') {
      throw errorAt(path, 'port is required, e.g. port: Port.tcp(5000).');
    }
    if (props.port.port === undefined) {
      throw errorAt(path, `port ${props.port} admits every port; name the database port, e.g. Port.tcp(5000).`);
    }
    const name = props.name ?? 'db-webapp';
    // The link lives in the database's namespace (a tenant may have several).
    const database = props.database;
    const namespace = Workload.isWorkload(database) ? database.namespace
      : isKplusPods(database) ? kplusNamespace(database) ?? tenant.namespace : tenant.namespace;
    this.namespace = namespace;
    if (!tenant.namespaces.includes(namespace)) {
      const dbName = Workload.isWorkload(database) ? database.name : kplusName(database as unknown as AbstractPod);
      throw errorAt(path, `database "${dbName}" is in namespace ${namespace}, which is not a namespace of tenant "${tenant.name}": a DbWebappLink joins workloads of one namespace. Create the link in the database's tenant and admit the webapp with allowFrom.`);
    }

    const db = this.side(database, 'database', tenant, namespace);
    const web = this.side(props.webapp, 'webapp', tenant, namespace);
    this.db = db;
    this.web = web;

    tenant._denyAllIngress(namespace);
    this.policy = tenant.addRulePolicy(name, `${id}Policy`, () => ({ ...db.podLabels! }), [web], [props.port], [namespace]);

    // The selectors must select a workload of the namespace (of this package, cdk8s-plus or a
    // raw object): a typo would otherwise leave the database unreachable (or the link
    // pointless) without a word.
    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        const here = podOwnersIn(this, [namespace]);
        for (const [role, side, value] of [['database', db, database], ['webapp', web, props.webapp]] as const) {
          if (isKplusPods(value) && kplusSelectorProblem(value)) continue; // its own validation says what is wrong
          const labels = side.podLabels!;
          if (!here.some((w) => matches(labels, w.podLabels))) {
            const known = here.map((w) => `${w.object.name} ${JSON.stringify(w.selectorLabels)}`).join(', ') || 'none';
            errors.push(`${role} selector ${JSON.stringify(labels)} matches no workload of tenant "${tenant.name}" in namespace "${namespace}" (workloads: ${known}). Fix the labels or add the workload.`);
          }
        }
        return errors;
      },
    });
  }

  private side(value: PeerLike | Workload, role: string, tenant: IsolatedTenant, namespace: string): PeerConfig {
    const path = this.node.path;
    if (!value) {
      throw errorAt(path, `${role} is required: a workload of tenant "${tenant.name}" or labels such as { app: '${role}' }.`);
    }
    let config: PeerConfig;
    if (typeof (value as IPeer).toPeerConfig === 'function') {
      config = (value as IPeer).toPeerConfig();
    } else if (isKplusPods(value)) {
      // Its selector is read at synth (and checked by its own validation); only the namespace now.
      config = kplusPeerConfig(value, path);
      if (config.namespaces![0] !== namespace) {
        throw errorAt(path, `${role} "${config.name}" is in namespace ${config.namespaces!.join(', ')} but the link is in "${namespace}": a DbWebappLink joins workloads of one namespace. To admit traffic from another namespace, use tenant.allowFrom(${config.name}, port).`);
      }
      return config;
    } else {
      validateSelector(value as LabelSelector, role, path);
      config = { podLabels: { ...(value as LabelSelector) }, name: role };
    }
    if (config.ipBlock) {
      throw errorAt(path, `${role} is a CIDR block; a DbWebappLink joins pods of one namespace. Use tenant.allowFrom(Peer.ipv4(...), port) for external clients.`);
    }
    if (config.namespaces && (config.namespaces.length !== 1 || config.namespaces[0] !== namespace)) {
      throw errorAt(path, `${role} "${config.name}" is in namespace ${config.namespaces.join(', ')} but the link is in "${namespace}": a DbWebappLink joins workloads of one namespace. To admit traffic from another namespace, use <database workload>.allowFrom(${config.name}, port).`);
    }
    if (!config.podLabels || Object.keys(config.podLabels).length === 0) {
      throw errorAt(path, `${role} selects every pod of namespace "${namespace}"; give the ${role}'s labels, e.g. { app: '${role}' }.`);
    }
    return config;
  }
}

function findTenant(scope: Construct): IsolatedTenant | undefined {
  for (let s: Construct | undefined = scope; s; s = s.node.scope as Construct | undefined) {
    if (IsolatedTenant.isIsolatedTenant(s)) return s;
  }
  return undefined;
}

function matches(selector: LabelSelector, labels: Readonly<LabelSelector>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
