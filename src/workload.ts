import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NAME_LABEL, tenantLabels } from './labels';
import { errorAt, validateLabels, validatePort, validatePortName, validateRfc1123Label, validateSelector } from './names';
import type { IPeer, PeerConfig, PeerLike } from './peer';
import type { Port } from './port';
import type { ITenantAdmission } from './tenant-types';
import { Protocol } from './port';

/** How a workload's Service is exposed. */
export enum ServiceType {
  /** Reachable inside the cluster only. */
  CLUSTER_IP = 'ClusterIP',
  /** Also on a port of every node. External clients arrive from outside the namespace: see `IsolatedTenantProps.allowExternal`. */
  NODE_PORT = 'NodePort',
  /** Also through a cloud load balancer. External clients arrive from outside the namespace: see `IsolatedTenantProps.allowExternal`. */
  LOAD_BALANCER = 'LoadBalancer',
}

/** The official nginx image, which starts as root. */
const OFFICIAL_NGINX = /^(docker\.io\/)?(library\/)?nginx(:[^/@]+)?(@sha256:[0-9a-f]+)?$/;

/** Compute resources of a workload's container. */
export interface WorkloadResources {
  /** @default '100m' */
  readonly cpuRequest?: string;
  /** @default '64Mi' */
  readonly memoryRequest?: string;
  /**
   * No CPU limit is set by default: a CPU limit throttles a container even on an idle node.
   * @default - none
   */
  readonly cpuLimit?: string;
  /** @default '256Mi' */
  readonly memoryLimit?: string;
}

/** Options of a web workload (`IsolatedTenant.addWorkload`). */
export interface WorkloadOptions {
  /** Container image, e.g. `nginx` or `nginx:1.27`. */
  readonly image: string;
  /** The port the container listens on (what NetworkPolicies see). */
  readonly port: number;
  /**
   * A name for the container port, so that policies can refer to it (`Port.named('http')`).
   * @default - the port has no name
   */
  readonly portName?: string;
  /** @default Protocol.TCP */
  readonly protocol?: Protocol;
  /** @default 1 */
  readonly replicas?: number;
  /** @default ServiceType.CLUSTER_IP */
  readonly serviceType?: ServiceType;
  /** @default - the container port */
  readonly servicePort?: number;
  /**
   * A fixed node port (30000-32767) for NodePort and LoadBalancer Services.
   * @default - the cluster assigns one
   */
  readonly nodePort?: number;
  /**
   * The labels that identify this workload's pods: the Deployment's and the Service's
   * selector, and what policies select. They are part of the Deployment's immutable selector.
   * @default { 'app.kubernetes.io/name': <name> }
   */
  readonly selectorLabels?: Record<string, string>;
  /**
   * More labels for the pods (not part of any selector).
   * @default - none
   */
  readonly podLabels?: Record<string, string>;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's arguments */
  readonly args?: string[];
  /** @default - none */
  readonly env?: Record<string, string>;
  /** @default - see `WorkloadResources` */
  readonly resources?: WorkloadResources;
  /**
   * A TCP readiness probe on the container port, so the Service only sends traffic to
   * pods that accept connections.
   * @default true
   */
  readonly readinessProbe?: boolean;
  /**
   * Run as a non-root user. Off by default because common images (the official `nginx`)
   * start as root and write to `/var/cache/nginx`; turn it on for images built for it
   * (e.g. `nginxinc/nginx-unprivileged` on port 8080).
   * @default false
   */
  readonly runAsNonRoot?: boolean;
}

/** Props of a `Workload`. */
export interface WorkloadProps extends WorkloadOptions {
  /** The namespace the workload lives in. */
  readonly namespace: string;
  /** The tenant the workload belongs to (labels). */
  readonly tenant: string;
  /**
   * The name of the Deployment and the Service (and so the DNS name `<name>.<namespace>`).
   * @default the construct id
   */
  readonly name?: string;
}

/**
 * A web workload: a Deployment and a Service of the same stable name, so that
 * `curl http://<name>.<namespace>` reaches it.
 *
 * Its pods run with settings under which the image actually starts: no privilege escalation,
 * the `RuntimeDefault` seccomp profile, no service account token, resource requests, and a
 * readiness probe; it does not force a non-root user or a read-only root file system unless
 * asked (`runAsNonRoot`), because the official `nginx` image needs both.
 */
export class Workload extends Construct implements IPeer {
  /** Returns whether a value is a `Workload`. */
  public static isWorkload(x: unknown): x is Workload {
    return x instanceof Workload;
  }

  /** The Deployment's and Service's name. */
  public readonly name: string;
  /** The namespace it lives in. */
  public readonly namespace: string;
  /** The tenant it belongs to. */
  public readonly tenant: string;
  /** The labels that select its pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Every label of its pods (selector labels included). */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The container port. */
  public readonly port: number;
  /** The container port's name, if any. */
  public readonly portName?: string;
  /** The container port's protocol. */
  public readonly protocol: Protocol;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The Service. */
  public readonly service: ApiObject;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const path = this.node.path;
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.tenant = props.tenant;
    validateRfc1123Label(this.name, 'workload name', path);
    if (!props.image || /\s/.test(props.image)) {
      throw errorAt(path, `image ${JSON.stringify(props.image)} is not a container image reference such as "nginx" or "nginx:1.27".`);
    }
    if (props.runAsNonRoot && OFFICIAL_NGINX.test(props.image)) {
      throw errorAt(path, `image "${props.image}" (the official nginx) runs as root and cannot start with runAsNonRoot: true. Use nginxinc/nginx-unprivileged, which listens on 8080, or set runAsNonRoot: false (Pod Security level baseline).`);
    }
    validatePort(props.port, 'container port', path);
    if (props.portName !== undefined) validatePortName(props.portName, 'port name', path);
    const servicePort = props.servicePort ?? props.port;
    validatePort(servicePort, 'service port', path);
    const serviceType = props.serviceType ?? ServiceType.CLUSTER_IP;
    if (props.nodePort !== undefined) {
      if (serviceType === ServiceType.CLUSTER_IP) {
        throw errorAt(path, `nodePort ${props.nodePort} is set but the Service type is ClusterIP. Set serviceType: ServiceType.NODE_PORT or drop nodePort.`);
      }
      if (!Number.isInteger(props.nodePort) || props.nodePort < 30000 || props.nodePort > 32767) {
        throw errorAt(path, `nodePort ${props.nodePort} is outside the default node port range 30000-32767.`);
      }
    }
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw errorAt(path, `replicas ${replicas} must be a whole number of at least 0.`);
    }
    this.port = props.port;
    this.portName = props.portName;
    this.protocol = props.protocol ?? Protocol.TCP;
    if (this.protocol !== Protocol.TCP && props.readinessProbe !== false && props.readinessProbe !== undefined) {
      throw errorAt(path, `a TCP readiness probe cannot check a ${this.protocol} port. Set readinessProbe: false.`);
    }
    const selector = props.selectorLabels ?? { [NAME_LABEL]: this.name };
    validateSelector(selector, 'selectorLabels', path);
    this.selectorLabels = { ...selector };
    if (props.podLabels) validateLabels(props.podLabels, path);

    const labels = { [NAME_LABEL]: this.name, ...tenantLabels(this.tenant) };
    const podLabels = { ...labels, ...(props.podLabels ?? {}), ...selector };
    this.podLabels = podLabels;
    const res = props.resources ?? {};
    const probe = props.readinessProbe ?? this.protocol === Protocol.TCP;

    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: this.name, namespace: this.namespace, labels },
      spec: {
        type: serviceType,
        selector: { ...selector },
        ports: [{
          ...(props.portName ? { name: props.portName } : {}),
          port: servicePort,
          targetPort: props.portName ? k8s.IntOrString.fromString(props.portName) : k8s.IntOrString.fromNumber(props.port),
          protocol: this.protocol,
          ...(props.nodePort !== undefined ? { nodePort: props.nodePort } : {}),
        }],
      },
    });

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: this.name, namespace: this.namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: { ...selector } },
        template: {
          metadata: { labels: podLabels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: {
              seccompProfile: { type: 'RuntimeDefault' },
              ...(props.runAsNonRoot ? { runAsNonRoot: true } : {}),
            },
            containers: [{
              name: this.name,
              image: props.image,
              ...(props.command ? { command: [...props.command] } : {}),
              ...(props.args ? { args: [...props.args] } : {}),
              ...(props.env ? { env: Object.keys(props.env).sort().map((name) => ({ name, value: props.env![name] })) } : {}),
              ports: [{ containerPort: props.port, protocol: this.protocol, ...(props.portName ? { name: props.portName } : {}) }],
              resources: {
                requests: {
                  cpu: k8s.Quantity.fromString(res.cpuRequest ?? '100m'),
                  memory: k8s.Quantity.fromString(res.memoryRequest ?? '64Mi'),
                },
                limits: {
                  ...(res.cpuLimit ? { cpu: k8s.Quantity.fromString(res.cpuLimit) } : {}),
                  memory: k8s.Quantity.fromString(res.memoryLimit ?? '256Mi'),
                },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                ...(props.runAsNonRoot ? { runAsNonRoot: true, capabilities: { drop: ['ALL'] } } : {}),
              },
              ...(probe ? {
                readinessProbe: {
                  tcpSocket: { port: k8s.IntOrString.fromNumber(props.port) },
                  initialDelaySeconds: 2,
                  periodSeconds: 10,
                },
              } : {}),
            }],
          },
        },
      },
    });
  }

  /**
   * Admits traffic from a peer (another tenant, another tenant's workload — of this package or
   * of cdk8s-plus —, a namespace, a CIDR block, or labels of pods in this namespace) to this
   * workload's pods only, on the given
   * ports: policy `allow-<name>-from-<peer>`, a declared grant for the isolation guard, and the
   * egress side where the peer's tenant isolates egress.
   */
  public allowFrom(peer: PeerLike, ...ports: Port[]): ApiObject {
    const tenant = this.node.scope as unknown as ITenantAdmission;
    if (!tenant || typeof tenant._admit !== 'function') {
      throw errorAt(this.node.path, 'allowFrom needs a workload created with tenant.addWorkload(...).');
    }
    return tenant._admit({
      namespaces: [this.namespace],
      podSelector: { ...this.selectorLabels },
      name: `${this.tenant}-${this.name}`,
      prefix: `allow-${this.name}`,
      idPrefix: `AllowFrom-${this.name}`,
    }, peer, ports);
  }

  /** The workload's pods, as a peer in its own namespace. */
  public toPeerConfig(): PeerConfig {
    return { namespaces: [this.namespace], podLabels: { ...this.selectorLabels }, name: this.name };
  }
}
