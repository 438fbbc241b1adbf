import type { ApplicationEntity } from '../application/application.entity';

/**
 * The life event an application was filed for, as its life-event bundle names it; null for a
 * single application. Applications carry no bundle yet (issue 21's life-event bundles add it), so
 * this is null today: the one place to read the bundle's life event code once it exists.
 */
export function lifeEventOf(_application: ApplicationEntity): string | null {
  return null;
}
