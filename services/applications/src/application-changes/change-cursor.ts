import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';

/**
 * A feed cursor: the district it belongs to and the last position read, base64url-encoded so
 * clients treat it as opaque. The district is inside so that another district's cursor is refused
 * rather than read as a position in the caller's feed.
 */
export interface ChangeCursor {
  districtCode: string;
  position: bigint;
}

const prefix = 'c1';

export function encodeChangeCursor(cursor: ChangeCursor): string {
  return Buffer.from(`${prefix}:${cursor.districtCode}:${cursor.position}`, 'utf8').toString('base64url');
}

/** The cursor of `after`, or the feed's start when absent; a foreign or mangled one is `invalid_cursor`. */
export function decodeChangeCursor(after: string | undefined, districtCode: string): ChangeCursor {
  if (after === undefined) return { districtCode, position: 0n };
  const [tag, district, position, ...rest] = Buffer.from(after, 'base64url').toString('utf8').split(':');
  const valid =
    tag === prefix &&
    rest.length === 0 &&
    district === districtCode &&
    position !== undefined &&
    /^(0|[1-9][0-9]{0,17})$/.test(position) &&
    encodeChangeCursor({ districtCode, position: BigInt(position) }) === after;
  if (!valid) {
    throw new ApplicationError(
      ApplicationErrorCode.InvalidCursor,
      'the cursor is not one this district was given: pass nextCursor as it came, or leave after out',
    );
  }
  return { districtCode, position: BigInt(position) };
}
