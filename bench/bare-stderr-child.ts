// The stderr-flood baseline's writer: the same bytes a flooding job writes, from a bare child.
import { writeGarbage } from './binary-garbage'

await writeGarbage(process.stderr, Number(process.argv[2]))
