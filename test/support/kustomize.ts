import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as far as the checks need it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

interface Kustomization {
  namespace?: string;
  resources?: string[];
  patches?: { path: string }[];
}

/**
 * The subset of `kustomize build` deploy/k8s uses: `resources` (files and directories with a
 * kustomization), `namespace`, and `patches` given as strategic merge patch files (lists of
 * named items — containers, ports, env — merge by name; other lists are replaced).
 */
export function kustomizeBuild(dir: string): Manifest[] {
  const kustomization = readYaml(join(dir, 'kustomization.yaml'))[0] as unknown as Kustomization;
  const manifests: Manifest[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = join(dir, resource);
    manifests.push(...(statSync(path).isDirectory() ? kustomizeBuild(path) : readYaml(path)));
  }
  for (const { path } of kustomization.patches ?? []) {
    for (const patch of readYaml(join(dir, path))) {
      const target = manifests.find(
        (manifest) => manifest.kind === patch.kind && manifest.metadata.name === patch.metadata.name,
      );
      if (!target) throw new Error(`patch ${path}: no ${patch.kind} ${patch.metadata.name}`);
      Object.assign(target, mergePatch(target, patch));
    }
  }
  if (kustomization.namespace) {
    for (const manifest of manifests) {
      if (manifest.kind !== 'Namespace') manifest.metadata.namespace = kustomization.namespace;
    }
  }
  return manifests;
}

function readYaml(path: string): Manifest[] {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]!.message}`);
      return document.toJS() as Manifest | null;
    })
    .filter((manifest): manifest is Manifest => manifest !== null);
}

function mergePatch(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch)) {
    const named = (items: unknown[]) => items.every((item) => typeof item === 'object' && item && 'name' in item);
    if (!named(base) || !named(patch)) return patch;
    const merged = base.map((item: { name: string }) => {
      const change = (patch as { name: string }[]).find((candidate) => candidate.name === item.name);
      return change ? mergePatch(item, change) : item;
    });
    for (const item of patch as { name: string }[]) {
      if (!base.some((existing: { name: string }) => existing.name === item.name)) merged.push(item);
    }
    return merged;
  }
  if (base && patch && typeof base === 'object' && typeof patch === 'object' && !Array.isArray(patch)) {
    const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(patch)) merged[key] = mergePatch(merged[key], value);
    return merged;
  }
  return patch;
}
