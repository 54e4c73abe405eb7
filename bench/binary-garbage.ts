/** 64 KiB of bytes that are mostly not UTF-8, as a crashing native library or a misdirected pipe writes. */
const chunk = Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i * 7919) % 256))

/** Writes `mb` MiB of it to `stream` as fast as the reader takes it. */
export async function writeGarbage(stream: NodeJS.WritableStream, mb: number): Promise<void> {
  for (let i = 0; i < mb * 16; i++) {
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve))
  }
}
