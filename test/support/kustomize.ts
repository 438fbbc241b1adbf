import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as far as the checks need it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

/**
 * What `kubectl kustomize <dir>` renders (kustomize built into kubectl; offline, no cluster): the
 * very objects `kubectl apply -k` would send, so the checks see what a cluster gets.
 */
export function kustomizeBuild(dir: string): Manifest[] {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`kubectl kustomize ${dir} failed (is kubectl installed?): ${stderr || String(error)}`);
  }
  return parseAllDocuments(output)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`kubectl kustomize ${dir}: ${document.errors[0]!.message}`);
      return document.toJS() as Manifest | null;
    })
    .filter((manifest): manifest is Manifest => manifest !== null);
}
