/**
 * A test stand-in for the API server's ValidatingAdmissionPolicy admission, for the policies
 * the package writes: the binding's namespace selector, the policy's resource rules, match
 * conditions, variables and validations, with the CEL evaluated by a maintained CEL
 * implementation (`@bufbuild/cel`). As in Kubernetes (failurePolicy Fail), an expression that
 * errors denies the request.
 */
import { isCelError, parse, run } from '@bufbuild/cel';

/** The user and operation of a request, and the objects (as JSON) before and after. */
export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  readonly username: string;
  readonly groups?: string[];
  /** API group, version and plural resource, e.g. `networking.k8s.io`, `v1`, `networkpolicies`. */
  readonly resource: { group: string; version: string; resource: string };
  readonly subResource?: string;
  readonly namespace: string;
  /** The new object (null for DELETE). */
  readonly object: any;
  /** The existing object (null for CREATE). */
  readonly oldObject: any;
}

/** The outcome of admission. */
export interface AdmissionResult {
  readonly allowed: boolean;
  /** Why it was denied: the failed validation's message, or the CEL error. */
  readonly message?: string;
}

/** JSON as CEL values: objects as maps, whole numbers as ints. */
export function toCel(v: unknown): any {
  if (Array.isArray(v)) return v.map(toCel);
  if (v && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

function matchesSelector(labels: Record<string, string>, selector: any): boolean {
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = e.key in labels;
    const ok = e.operator === 'Exists' ? has
      : e.operator === 'DoesNotExist' ? !has
        : e.operator === 'In' ? has && e.values.includes(labels[e.key])
          : e.operator === 'NotIn' ? !has || !e.values.includes(labels[e.key]) : false;
    if (!ok) return false;
  }
  return true;
}

function ruleMatches(rule: any, req: AdmissionRequest): boolean {
  const any = (list: string[], v: string) => list.includes('*') || list.includes(v);
  const resource = req.subResource ? `${req.resource.resource}/${req.subResource}` : req.resource.resource;
  return any(rule.apiGroups, req.resource.group) && any(rule.apiVersions, req.resource.version)
    && any(rule.operations, req.operation) && any(rule.resources, resource);
}

function evaluate(expr: string, bindings: Record<string, unknown>): { value?: unknown; error?: string } {
  const v = run(expr, bindings as any);
  return isCelError(v) ? { error: String((v as Error).message ?? v) } : { value: v };
}

/**
 * Admits (or not) a request in a namespace with the given labels, against a policy and its
 * binding. `namespaceObject` defaults to an active Namespace with those labels.
 */
export function admit(policy: any, binding: any, req: AdmissionRequest, namespaceLabels: Record<string, string>, namespaceObject?: any): AdmissionResult {
  if (binding.spec.policyName !== policy.metadata.name) throw new Error('the binding names another policy');
  if (!matchesSelector(namespaceLabels, binding.spec.matchResources?.namespaceSelector ?? {})) return { allowed: true };
  if (!policy.spec.matchConstraints.resourceRules.some((r: any) => ruleMatches(r, req))) return { allowed: true };
  const nsObject = namespaceObject ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: req.namespace, labels: namespaceLabels } };
  const bindings: Record<string, unknown> = {
    object: toCel(req.object),
    oldObject: toCel(req.oldObject),
    namespaceObject: toCel(nsObject),
    request: toCel({
      operation: req.operation,
      namespace: req.namespace,
      userInfo: { username: req.username, groups: req.groups ?? [] },
      resource: req.resource,
      subResource: req.subResource ?? '',
      name: (req.object ?? req.oldObject)?.metadata?.name ?? '',
    }),
  };
  // match conditions see no namespaceObject and no variables in Kubernetes
  const conditionBindings = { object: bindings.object, oldObject: bindings.oldObject, request: bindings.request };
  for (const c of policy.spec.matchConditions ?? []) {
    const r = evaluate(c.expression, conditionBindings);
    if (r.error) return { allowed: false, message: `matchCondition ${c.name}: ${r.error}` };
    if (r.value !== true) return { allowed: true };
  }
  // variables, in order; each sees the earlier ones. One that errors is left out, so that reading
  // it errors (Kubernetes evaluates variables lazily, and CEL's && and || absorb an error that
  // does not decide the result).
  const variables = new Map<string, unknown>();
  for (const v of policy.spec.variables ?? []) {
    const r = evaluate(v.expression, { ...bindings, variables });
    if (!r.error) variables.set(v.name, r.value);
  }
  for (const val of policy.spec.validations) {
    const r = evaluate(val.expression, { ...bindings, variables });
    if (r.error) return { allowed: false, message: `validation error: ${r.error}` };
    if (r.value !== true) return { allowed: false, message: val.message };
  }
  return { allowed: true };
}

/** Admission through several policies (each with its binding): denied when any denies. */
export function admitAll(pairs: Array<{ policy: any; binding: any }>, req: AdmissionRequest, namespaceLabels: Record<string, string>, namespaceObject?: any): AdmissionResult {
  for (const p of pairs) {
    const r = admit(p.policy, p.binding, req, namespaceLabels, namespaceObject);
    if (!r.allowed) return r;
  }
  return { allowed: true };
}

/** The CEL functions (and operators) used by an expression, and its free variables. */
export function celVocabulary(expr: string): { functions: Set<string>; identifiers: Set<string> } {
  const functions = new Set<string>();
  const identifiers = new Set<string>();
  const walk = (e: any, bound: Set<string>): void => {
    if (!e?.exprKind) return;
    const { case: kind, value } = e.exprKind;
    if (kind === 'callExpr') {
      functions.add(value.function);
      if (value.target) walk(value.target, bound);
      for (const a of value.args) walk(a, bound);
    } else if (kind === 'selectExpr') {
      if (value.testOnly) functions.add('has');
      walk(value.operand, bound);
    } else if (kind === 'identExpr') {
      if (!bound.has(value.name)) identifiers.add(value.name);
    } else if (kind === 'listExpr') {
      for (const x of value.elements) walk(x, bound);
    } else if (kind === 'comprehensionExpr') {
      walk(value.iterRange, bound);
      const inner = new Set([...bound, value.iterVar, value.accuVar]);
      walk(value.accuInit, bound);
      walk(value.loopCondition, inner);
      walk(value.loopStep, inner);
      walk(value.result, inner);
    } else if (kind === 'structExpr') {
      for (const x of value.entries) walk(x.value, bound);
    }
  };
  walk(parse(expr).expr, new Set());
  return { functions, identifiers };
}
