import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { Request } from 'express';
import { ResultUploadStorage, type StoredUpload } from './result-upload-storage';

function receive(storage: ResultUploadStorage, request: Request, chunks: Buffer[]): Promise<Partial<StoredUpload>> {
  return new Promise((resolve, reject) =>
    storage._handleFile(request, { stream: Readable.from(chunks), originalname: 'result.pdf' }, (error, info) =>
      error ? reject(error) : resolve(info!),
    ),
  );
}

describe('ResultUploadStorage', () => {
  it('streams the document to a private file, hashes it on the way, and removes it when the exchange ends', async () => {
    const response = new EventEmitter();
    const request = { res: response } as unknown as Request;
    const chunks = Array.from({ length: 16 }, (_, index) => Buffer.alloc(64 * 1024, index));
    const stored = await receive(new ResultUploadStorage(), request, chunks);
    const whole = Buffer.concat(chunks);
    expect(stored.size).toBe(whole.length);
    expect(stored.sha256).toBe(createHash('sha256').update(whole).digest('hex'));
    expect(readFileSync(stored.path!).equals(whole)).toBe(true);
    expect(statSync(stored.path!).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(stored.path!)).mode & 0o777).toBe(0o700);
    response.emit('close');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(stored.path!)).toBe(false);
  });

  it('removes the file when multer asks (a refused upload)', async () => {
    const storage = new ResultUploadStorage();
    const request = { res: new EventEmitter() } as unknown as Request;
    const stored = await receive(storage, request, [Buffer.from('%PDF-1.7')]);
    await new Promise<void>((resolve, reject) =>
      storage._removeFile(request, stored, (error) => (error ? reject(error) : resolve())),
    );
    expect(existsSync(stored.path!)).toBe(false);
  });
});
