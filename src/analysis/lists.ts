/**
 * `List` documents: `kind: List` and every typed list (`NamespaceList`, `DeploymentList`, …) stand for their items,
 * as `kubectl apply` reads them.
 */
import { AnalysisInputError } from './errors';
import { LoadedObject } from './model';

/** Whether `obj` is a list: `kind: List`, or a `*List` kind with an `items` array. */
export function isList(obj: Readonly<Record<string, unknown>>): boolean {
  const kind = obj.kind;
  if (kind === 'List') return true;
  return typeof kind === 'string' && kind.endsWith('List') && Array.isArray(obj.items);
}

/**
 * Replaces every list by its items, in order (nested lists too). Items of a typed list without `kind` and
 * `apiVersion` take them from the list (`NamespaceList` in `v1` → `v1`/`Namespace`), as kubectl does; an item of
 * a plain `List` without `kind` is an error naming the file, the document and the item.
 */
export function expandLists(objects: readonly LoadedObject[]): LoadedObject[] {
  const out: LoadedObject[] = [];
  for (const o of objects) {
    if (isList(o.object)) expandList(o, o.object, o.itemIndex, out);
    else out.push(o);
  }
  return out;
}

function expandList(where: LoadedObject, list: Readonly<Record<string, unknown>>, outerItem: number | undefined, out: LoadedObject[]): void {
  const kind = list.kind as string;
  const items = list.items;
  const at = (i: number) => ({ file: where.file, docIndex: where.docIndex, itemIndex: outerItem ?? i });
  if (items === undefined || items === null) return;
  if (!Array.isArray(items)) throw new AnalysisInputError(`the ${kind}'s items must be a list of objects`, at(0));
  const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
  items.forEach((raw, i) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new AnalysisInputError(`items[${i}] of the ${kind} is not a Kubernetes object (a map with apiVersion and kind)`, at(i));
    }
    let item = raw as Record<string, unknown>;
    const hasKind = typeof item.kind === 'string' && item.kind !== '';
    if (!hasKind && itemKind === undefined) {
      throw new AnalysisInputError(`items[${i}] of the List has no kind: a plain List does not say what its items are; add kind and apiVersion to the item`, at(i));
    }
    if (!hasKind) {
      item = { ...item, apiVersion: item.apiVersion ?? list.apiVersion, kind: itemKind };
    } else if (item.kind === itemKind && (item.apiVersion === undefined || item.apiVersion === null)) {
      item = { ...item, apiVersion: list.apiVersion };
    }
    const located: LoadedObject = { object: item, file: where.file, docIndex: where.docIndex, itemIndex: outerItem ?? i };
    if (isList(item)) expandList(located, item, outerItem ?? i, out);
    else out.push(located);
  });
}
