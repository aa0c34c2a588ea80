import type { Loc } from '../../types.js';

/**
 * A loaded text file with a byte-offset index. libpg-query reports UTF-8 byte offsets,
 * so positions are resolved against the bytes once, not against JS string indexes.
 */
export class SourceText {
  readonly bytes: Buffer;
  /** All ASCII: byte columns are character columns, no decoding needed. */
  private readonly ascii: boolean;
  private lineStarts: number[] | undefined;

  constructor(readonly file: string, readonly text: string) {
    this.bytes = Buffer.from(text, 'utf8');
    this.ascii = this.bytes.length === text.length;
  }

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const b = this.bytes;
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  /** 1-based line and column (in characters) of a byte offset. */
  locAt(byteOffset: number): Loc {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= byteOffset) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = starts[lo]!;
    const end = Math.min(byteOffset, this.bytes.length);
    const column = this.ascii ? end - lineStart + 1 : this.bytes.toString('utf8', lineStart, end).length + 1;
    return { file: this.file, line: lo + 1, column };
  }

  slice(startByte: number, endByte: number): string {
    return this.bytes.toString('utf8', startByte, endByte);
  }

  /** The text of 1-based line `line`, without its newline. */
  lineText(line: number): string {
    const starts = this.starts();
    const s = starts[line - 1];
    if (s === undefined) return '';
    const e = line < starts.length ? starts[line]! - 1 : this.bytes.length;
    return this.bytes.toString('utf8', s, e).replace(/\r$/, '');
  }
}
