/**
 * A cdk8s validation plugin: `cdk8s synth --validate` runs the tenancy checks of `tenancy check`
 * (the same code, and the same messages) on the manifests the app synthesized, and fails the
 * synth on a violation. Like the CLI, it reads manifests only: it works on any app's output,
 * written with this package's constructs or not.
 *
 * In `cdk8s.yaml`:
 *
 *     validations:
 *       - package: ./node_modules/cdk8s-tenancy
 *         version: 0.1.0
 *         class: TenancyValidation
 */
import { AnalysisInputError, buildModel, checkTenancy, LoadedObject, loadManifests, Violation } from '../analysis';

/**
 * What the plugin uses of cdk8s-cli's `ValidationContext` (cdk8s-cli's `plugins/validation.d.ts`),
 * restated so that the package does not depend on cdk8s-cli.
 */
export interface TenancyValidationContext {
  /** The synthesized manifest files. */
  readonly manifests: readonly string[];
  /** The report the plugin fills in. */
  readonly report: {
    addViolation(violation: {
      readonly ruleName: string;
      readonly recommendation: string;
      readonly fix: string;
      readonly violatingResources: ReadonlyArray<{ readonly resourceName: string; readonly locations: readonly string[]; readonly manifestPath: string }>;
    }): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  /** Where the plugin prints. */
  readonly logger: { log(message: string): void };
}

/** Properties of the plugin (`properties:` in `cdk8s.yaml`): none so far. */
export interface TenancyValidationProps {}

/** The rule name of every violation in the cdk8s validation report. */
export const TENANCY_RULE = 'tenancy-isolation';

/**
 * The validation plugin: one violation per line `tenancy check` would print, with the policy
 * (or the Namespace) and the file it is in; the messages are also printed as they are.
 */
export class TenancyValidation {
  constructor(_props: TenancyValidationProps = {}) {}

  /** Runs the checks over `context.manifests` and submits the report. */
  public async validate(context: TenancyValidationContext): Promise<void> {
    let objects: LoadedObject[];
    try {
      objects = loadManifests(context.manifests);
    } catch (e) {
      if (!(e instanceof AnalysisInputError)) throw e;
      context.logger.log(`tenancy: ${e.message}`);
      context.report.addViolation({ ruleName: 'tenancy-input', recommendation: e.message, fix: 'Fix the manifest the message names.', violatingResources: [] });
      context.report.submit('failure');
      return;
    }
    const model = buildModel(objects);
    for (const note of model.notes) context.logger.log(note);
    const violations = checkTenancy(model);
    for (const v of violations) {
      context.logger.log(v.message);
      context.report.addViolation({
        ruleName: TENANCY_RULE,
        recommendation: v.message,
        fix: 'Declare the flow on the tenant (tenant.allowFrom(...), allowIngressController, allowExternal), or remove the rule that admits it.',
        violatingResources: [resourceOf(v, objects)],
      });
    }
    context.report.submit(violations.length ? 'failure' : 'success', { checked: `${objects.length} objects in ${context.manifests.length} files` });
  }
}

/** The policy at fault, or else the tenant's Namespace, with the file it was read from. */
function resourceOf(v: Violation, objects: readonly LoadedObject[]): { resourceName: string; locations: string[]; manifestPath: string } {
  const [ns, name] = v.policy ? [v.policy.slice(0, v.policy.indexOf('/')), v.policy.slice(v.policy.indexOf('/') + 1)] : [undefined, v.namespace];
  const kind = v.policy ? 'NetworkPolicy' : 'Namespace';
  const found = objects.find((o) => {
    const meta = (o.object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    return o.object.kind === kind && meta.name === name && (ns === undefined || (meta.namespace ?? 'default') === ns);
  });
  return { resourceName: name, locations: [v.message.slice(0, v.message.indexOf(':'))], manifestPath: found?.file ?? '' };
}
