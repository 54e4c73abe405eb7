import type { AnyJobKind } from '../define-job'
import { debugFail } from './debug-fail'
import { debugSleep } from './debug-sleep'
import { fileCompress } from './file-compress'
import { fileDecompress } from './file-decompress'
import { fileHash } from './file-hash'
import { imageConvert } from './image-convert'
import { mediaTranscode } from './media-transcode'

/** Every kind that ships with Spool. Diagnostic kinds only when asked for. */
export function builtinKinds(options: { diagnostics?: boolean } = {}): AnyJobKind[] {
  const kinds: AnyJobKind[] = [imageConvert, mediaTranscode, fileCompress, fileDecompress, fileHash]
  if (options.diagnostics) kinds.push(debugSleep, debugFail)
  return kinds
}
