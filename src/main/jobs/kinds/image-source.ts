import { openSync, readFileSync, readSync, closeSync } from 'node:fs'

/** What a conversion needs to know of its input before sharp decodes it. */
export interface ImageSource {
  /** A path for raster formats; the bytes themselves for anything else (SVG). */
  input: string | Buffer
  /** A PNG of at most 256 colours: written as one again, it stays as small. */
  palette: boolean
  /** 16 bits per channel: PNG and TIFF keep them. */
  deep: boolean
  /** One channel of grey (with or without alpha). */
  grey: boolean
}

const rasterMagic: ((head: Buffer) => boolean)[] = [
  (head) => head[0] === 0xff && head[1] === 0xd8, // JPEG
  (head) => head.subarray(0, 4).toString('latin1') === '\x89PNG',
  (head) => head.subarray(0, 4).toString('latin1') === 'GIF8',
  (head) => head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP',
  (head) => ['II*\0', 'MM\0*'].includes(head.subarray(0, 4).toString('latin1')), // TIFF
  (head) => head.subarray(4, 8).toString('latin1') === 'ftyp', // AVIF, HEIF
]

function readHead(path: string): Buffer {
  const head = Buffer.alloc(16)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, head, 0, head.length, 0)
  } finally {
    closeSync(fd)
  }
  return head
}

/**
 * A raster image is handed to sharp by its path. Anything else (an SVG, plain or gzipped) is read here and
 * handed over as bytes: librsvg, given a path, follows the document's `<image href>`, XInclude and
 * stylesheet references to other files beside it, so a converted SVG could carry into its output a file
 * the user never gave Spool. Given bytes, it has no base to resolve them against and loads none.
 */
export async function readImageSource(
  path: string,
  sharp: typeof import('sharp'),
  outputFormat: string,
): Promise<ImageSource> {
  const plain = { palette: false, deep: false, grey: false }
  if (!rasterMagic.some((matches) => matches(readHead(path)))) return { input: readFileSync(path), ...plain }
  // Only PNG and TIFF outputs can keep a palette, 16 bits or grey; the header read is skipped for the rest.
  if (outputFormat !== 'png' && outputFormat !== 'tiff') return { input: path, ...plain }
  const info = await sharp(path).metadata()
  return {
    input: path,
    palette: info.format === 'png' && info.isPalette === true,
    deep: info.depth === 'ushort',
    grey: info.channels !== undefined && info.channels <= 2 && info.space !== 'cmyk',
  }
}
