import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rm } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';

/** A result document as received: on disk in the process's private folder, hashed on the way in. */
export interface StoredUpload {
  path: string;
  size: number;
  /** Lower-case hex SHA-256 of the bytes as written. */
  sha256: string;
  originalname: string;
}

interface IncomingFile {
  stream: NodeJS.ReadableStream;
  originalname: string;
}

type Done = (error: Error | null, info?: Partial<StoredUpload>) => void;

let folder: string | undefined;
/** One folder per process, made on first use, readable by this user only (mkdtemp makes it 0700). */
function uploadFolder(): string {
  folder ??= mkdtempSync(join(tmpdir(), 'umg-results-'));
  return folder;
}

/**
 * multer storage for result uploads: each file streams to a private temp file while its SHA-256
 * is computed, so an upload costs a few chunks of memory, not its size. The file is removed when
 * the exchange ends, however it ends (answered, refused, aborted by the client).
 */
export class ResultUploadStorage {
  _handleFile(request: Request, file: IncomingFile, done: Done): void {
    const path = join(uploadFolder(), randomUUID());
    request.res?.once('close', () => rm(path, { force: true }, () => undefined));
    const hash = createHash('sha256');
    let size = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, next) {
        hash.update(chunk);
        size += chunk.length;
        next(null, chunk);
      },
    });
    pipeline(file.stream, hashing, createWriteStream(path, { flags: 'wx', mode: 0o600 })).then(
      () => done(null, { path, size, sha256: hash.digest('hex') }),
      (error: Error) => done(error),
    );
  }

  _removeFile(_request: Request, file: Partial<StoredUpload>, done: (error: Error | null) => void): void {
    if (!file.path) return done(null);
    rm(file.path, { force: true }, (error) => done(error));
  }
}
