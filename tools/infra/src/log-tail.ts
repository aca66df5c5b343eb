import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 64 * 1024;

/** The last `lineCount` lines of a file, read from its end so large logs cost little. */
export function readTail(file: string, lineCount: number): string {
  let descriptor: number;
  try {
    descriptor = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    let position = fstatSync(descriptor).size;
    let text = '';
    while (position > 0 && text.split('\n').length <= lineCount + 1) {
      const length = Math.min(CHUNK_BYTES, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      readSync(descriptor, buffer, 0, length, position);
      text = buffer.toString('utf8') + text;
    }
    return text.replace(/\n$/, '').split('\n').slice(-lineCount).join('\n');
  } finally {
    closeSync(descriptor);
  }
}

/** Keeps only the last lines of a stream of output, for error messages. */
export class OutputTail {
  #lines: string[] = [];
  #partial = '';
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  push(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    this.#lines.push(...lines);
    if (this.#lines.length > this.#limit) this.#lines.splice(0, this.#lines.length - this.#limit);
  }

  toString(): string {
    return [...this.#lines, this.#partial]
      .filter((line) => line !== '')
      .slice(-this.#limit)
      .join('\n');
  }
}
