import { PassThrough, type Transform } from 'node:stream';
import { createDeflate, createGunzip, createGzip, createInflate } from 'node:zlib';
import { lzwDecoder } from './lzw.js';
import { lzwEncoder } from './lzw-encode.js';
import type { Compression } from './names.js';

/** A streaming decompressor for a snapshot's compression (a pass-through for none); memory does not grow with size. */
export function decompressor(c: Compression): Transform {
  switch (c) {
    case 'none':
      return new PassThrough();
    case 'gzip':
      return createGunzip();
    case 'zlib':
      return createInflate();
    case 'lzw':
      return lzwDecoder();
  }
}

/** A streaming compressor producing what etcdbrctl writes for each suffix (.gz gzip, .zlib zlib, .Z compress). */
export function compressor(c: Compression): Transform {
  switch (c) {
    case 'none':
      return new PassThrough();
    case 'gzip':
      return createGzip();
    case 'zlib':
      return createDeflate();
    case 'lzw':
      return lzwEncoder();
  }
}
