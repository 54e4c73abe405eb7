import { mkdirSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { layout, outsideUntouched } from '../support/path-layout'
import { useTempDir } from '../support/temp-dir'
import { useSpool } from '../support/test-spool'

describe('output names', () => {
  const open = useSpool()
  const tempDir = useTempDir()

  it('a name template with a path in it is refused at submit', async () => {
    const { root } = layout(tempDir())
    const { spool } = await open({ roots: [root] })
    for (const nameTemplate of ['../{name}.gz', '..\\{name}.gz', '{name}/../../x', 'a/b', '..', '.', '...', 'x\0']) {
      const error = await spool
        .submit([{ kind: 'file.compress', input: { input: join(root, 'photo.txt'), nameTemplate } }])
        .catch((e: { code: string; detail?: { field?: string } }) => e)
      expect(error, nameTemplate).toMatchObject({ code: 'INVALID_INPUT', detail: { field: '0.input.nameTemplate' } })
    }
  })

  it('an input whose own name looks like a path still lands in the chosen folder', async () => {
    const { root, outside } = layout(tempDir())
    const out = join(root, 'out')
    mkdirSync(out)
    const odd = join(root, '..\\..\\outside\\evil.txt')
    writeFileSync(odd, 'odd')
    const { spool } = await open({ roots: [root] })
    const [id] = await spool.submit([{ kind: 'file.compress', input: { input: odd, outputDir: out } }])
    const job = await spool.wait(id!)
    const [output] = (job.result as { outputs: { path: string }[] }).outputs
    expect(dirname(output!.path)).toBe(realpathSync(out))
    expect(readdirSync(out)).toEqual(['..\\..\\outside\\evil.txt.gz'])
    outsideUntouched(outside)
  })

  it.each(['overwrite', 'rename', 'skip'] as const)(
    'a link planted at the output name never makes a job write through it (%s)',
    async (collision) => {
      const { root, outside } = layout(tempDir())
      symlinkSync(join(outside, 'secret.txt'), join(root, 'photo.txt.gz'))
      const { spool } = await open({ roots: [root] })
      const [id] = await spool.submit([
        { kind: 'file.compress', input: { input: join(root, 'photo.txt'), outputDir: root, collision } },
      ])
      expect(await spool.wait(id!)).toMatchObject({ state: 'succeeded' })
      outsideUntouched(outside)
      const outputs = (await spool.get(id!))!.result as { outputs: { path: string }[] }
      for (const output of outputs.outputs) expect(dirname(output.path)).toBe(realpathSync(root))
    },
  )
})
